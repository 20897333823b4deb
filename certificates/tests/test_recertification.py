"""Re-certification (9.7): applied for from the certificate up to expiry − the scheme's lead time (9.7.1), with a
pre-filled APL-01 ("Sertifikasi Ulang"); registration, assessment and decision again (9.7.2–9.7.4); the new
certificate replaces the old one, which becomes superseded. And expiry: the daily job and the marked download."""

import datetime
import shutil
import subprocess

import pytest
import time_machine
from django.urls import reverse

from applicants.models import Application
from certificates import services
from certificates.dates import add_months
from certificates.models import Certificate
from certificates.reminders import expire_certificates
from certificates.services.recertification import recertification_deadline
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Role
from schemes.models import Scheme

from .helpers import close_and_letter, convene, decide, submitted_record

pytestmark = pytest.mark.django_db
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _on(day, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), JAKARTA), tick=False)


def test_the_deadline_is_expiry_minus_the_schemes_lead_time_9_7_1(certificate, tmi):
    assert recertification_deadline(certificate) == add_months(certificate.expiry_date, -2)
    Scheme.objects.filter(pk=tmi.pk).update(recertification_lead_months=3)
    certificate = Certificate.objects.select_related("scheme").get(pk=certificate.pk)
    assert recertification_deadline(certificate) == add_months(certificate.expiry_date, -3)


def test_recertification_one_day_before_the_deadline_opens_a_prefilled_apl01_9_7_1(certificate, holder):
    deadline = recertification_deadline(certificate)
    with _on(deadline - datetime.timedelta(days=1)):
        application = services.recertification_start(actor=holder, certificate=certificate)
    assert application.status == Application.Status.DRAFT
    assert application.purpose == Application.Purpose.RECERTIFICATION  # "Sertifikasi Ulang"
    assert application.recertifies == certificate
    assert application.nik == certificate.application.nik and application.full_name == "Ani Wijaya"  # from the profile
    assert AuditEvent.objects.filter(action="certificate.recertification_start", object_id=str(certificate.pk)).exists()
    with _on(deadline - datetime.timedelta(days=1)):
        assert services.recertification_start(actor=holder, certificate=certificate) == application  # again: the same


def test_recertification_on_the_deadline_is_still_in_time(certificate, holder):
    with _on(recertification_deadline(certificate), hour=23):
        assert services.recertification_start(actor=holder, certificate=certificate).recertifies == certificate


def test_recertification_one_day_after_the_deadline_is_refused_with_the_reason_9_7_1(certificate, holder):
    deadline = recertification_deadline(certificate)
    with _on(deadline + datetime.timedelta(days=1)), pytest.raises(InvalidState) as refused:
        services.recertification_start(actor=holder, certificate=certificate)
    message = str(refused.value)
    assert deadline.strftime("%d-%m-%Y") in message and "9.7.1" in message and "2 month" in message
    assert not Application.objects.filter(recertifies=certificate).exists()


def test_staff_may_let_the_holder_in_after_the_deadline_with_a_reason(certificate, holder, staff, member):
    deadline = recertification_deadline(certificate)
    with pytest.raises(NotAllowed):
        services.recertification_override_grant(actor=member, certificate=certificate, reason="x")
    with pytest.raises(InvalidState, match="reason"):
        services.recertification_override_grant(actor=staff, certificate=certificate, reason=" ")
    override = services.recertification_override_grant(
        actor=staff, certificate=certificate, reason="Pemegang sakit pada bulan tenggat (surat dokter)"
    )
    event = AuditEvent.objects.get(action="certificate.recertification_override", object_id=str(certificate.pk))
    assert event.actor == staff and "surat dokter" in event.reason
    assert services.recertification_override_grant(actor=staff, certificate=certificate, reason="lagi") == override
    with _on(deadline + datetime.timedelta(days=10)):
        assert services.recertification_start(actor=holder, certificate=certificate).recertifies == certificate


def test_only_the_holder_and_only_a_valid_certificate(certificate, holder, make_user, staff, case):
    with pytest.raises(NotAllowed):
        services.recertification_start(actor=make_user(Role.APPLICANT), certificate=certificate)
    services.certificate_suspend(actor=staff, case=case, reason="x", decision_reference="SK")
    with pytest.raises(InvalidState, match="Only a valid certificate"):
        services.recertification_start(actor=holder, certificate=certificate)


def test_the_purpose_stays_recertification(certificate, holder):
    from applicants import services as applicant_services

    application = services.recertification_start(actor=holder, certificate=certificate)
    applicant_services.application_update_section(
        actor=holder, application=application, section="purpose",
        data={"purpose": "sertifikasi", "purpose_other": "", "funding": "self", "funding_detail": ""},
    )
    application.refresh_from_db()
    assert application.purpose == Application.Purpose.RECERTIFICATION


def test_recertification_runs_again_and_the_new_certificate_supersedes_the_old_9_7_2_to_9_7_4(
    certificate, holder, staff, tmi, assessor, schedule, tuk, chair, member, client, django_capture_on_commit_callbacks
):
    application = services.recertification_start(actor=holder, certificate=certificate)
    # Registration (9.1), assessment (9.2, 9.3) and decision (9.4) again, through the same services.
    record = submitted_record(candidate=holder, staff=staff, scheme=tmi, assessor=assessor, schedule=_new_session(staff, tmi, tuk, assessor), tuk=tuk)
    assert record.application == application
    meeting = convene(staff, chair, [record], members=[member])
    decision = decide(member, meeting, record)
    close_and_letter(staff, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        renewed = services.certificate_issue(actor=staff, decision=decision)
    certificate.refresh_from_db()
    assert renewed.replaces == certificate and certificate.status == Certificate.Status.SUPERSEDED
    assert AuditEvent.objects.filter(action="certificate.supersede", object_id=str(certificate.pk)).exists()
    client.logout()
    old = client.get(reverse("verify:code", args=[certificate.verification_code])).context["certificate"]
    assert old.status == "superseded"
    certificate.refresh_from_db()
    assert certificate.pdf_status == "superseded"  # the stored PDF is marked "DIGANTI"


def _new_session(staff, tmi, tuk, assessor):
    from .helpers import make_schedule

    return make_schedule(staff, tmi, tuk, [assessor])


def test_the_holder_page_offers_recertification_until_the_deadline(client, certificate, holder):
    client.force_login(holder)
    page = reverse("certificates:my-certificate", args=[certificate.pk])
    assert reverse("certificates:recertify", args=[certificate.pk]) in client.get(page).content.decode()
    with _on(recertification_deadline(certificate) + datetime.timedelta(days=1)):
        client.force_login(holder)  # years later: a fresh session
        html = client.get(page).content.decode()
        assert "The deadline to apply for re-certification was" in html
        response = client.post(reverse("certificates:recertify", args=[certificate.pk]))
        assert response.status_code == 200 and "9.7.1" in response.content.decode()
    client.force_login(holder)
    response = client.post(reverse("certificates:recertify", args=[certificate.pk]))
    application = Application.objects.get(recertifies=certificate)
    assert response.url == reverse("applicants:personal", args=[application.pk])


# --- expiry ------------------------------------------------------------------------------------------


def test_the_daily_job_marks_a_certificate_expired_after_its_last_valid_day(certificate, client):
    with _on(certificate.expiry_date):
        assert expire_certificates() == 0  # the expiry date is the last valid day printed on it
    with _on(certificate.expiry_date + datetime.timedelta(days=1), hour=7):
        assert expire_certificates() == 1
        assert expire_certificates() == 0  # twice: nothing more
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.EXPIRED
        event = AuditEvent.objects.get(action="certificate.expire", object_id=str(certificate.pk))
        assert event.actor is None and (event.from_state, event.to_state) == ("active", "expired")
        client.logout()
        shown = client.get(reverse("verify:code", args=[certificate.verification_code])).context["certificate"]
        assert shown.status == "expired"


def test_the_job_catches_up_after_days_it_did_not_run(certificate):
    with _on(certificate.expiry_date + datetime.timedelta(days=9)):
        assert expire_certificates() == 1


def test_a_suspended_certificate_keeps_its_status_past_expiry(certificate, staff, case):
    services.certificate_suspend(actor=staff, case=case, reason="x", decision_reference="SK")
    with _on(certificate.expiry_date + datetime.timedelta(days=1)):
        assert expire_certificates() == 0


def test_the_download_of_an_expired_certificate_is_marked(client, certificate, holder, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    services.use_agreement_sign(actor=holder, certificate=certificate, agree_use_rules=True, agree_ethics=True)
    with _on(certificate.expiry_date + datetime.timedelta(days=1)):
        client.force_login(holder)
        page = client.get(reverse("certificates:my-certificate", args=[certificate.pk])).content.decode()
        assert 'data-testid="status-banner"' in page and 'data-testid="download-marked"' in page
        response = client.get(reverse("certificates:my-certificate-download", args=[certificate.pk]))
        content = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "KEDALUWARSA" in text and "EXPIRED" in text
    assert not certificate.handovers.exists()  # a marked copy is not a hand-over


def test_a_purpose_chosen_by_hand_after_the_deadline_does_not_replace_the_certificate_9_7_1(
    certificate, holder, staff, tmi
):
    """Choosing "Sertifikasi Ulang" in a new APL-01 by hand is no way around the deadline."""
    from django.db import transaction

    from assessments.tests.conftest import ready_application
    from certificates.services.issuance import _replaced_certificate

    deadline = recertification_deadline(certificate)
    with _on(deadline + datetime.timedelta(days=1)):
        application = ready_application(holder, staff, tmi, accept=False)
    Application.objects.filter(pk=application.pk).update(purpose=Application.Purpose.RECERTIFICATION)
    application.refresh_from_db()
    with transaction.atomic():
        assert _replaced_certificate(application) is None
    Application.objects.filter(pk=application.pk).update(
        submitted_at=datetime.datetime.combine(deadline, datetime.time(10), JAKARTA)
    )
    application.refresh_from_db()
    with transaction.atomic():
        assert _replaced_certificate(application) == certificate


def test_the_expiry_task_can_run_on_its_own_too(certificate):
    from certificates.tasks import expire_certificates as task

    with _on(certificate.expiry_date + datetime.timedelta(days=1), hour=0):
        assert task.apply().get() == 1
        assert task.apply().get() == 0
