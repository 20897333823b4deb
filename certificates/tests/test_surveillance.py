"""Surveillance of holders (9.6): planned at issue from the scheme's interval (9.6.2), the holder's logbook, the
method and outcome recorded in the holder's record (9.6.3, 9.6.4); "not maintained" opens a sanction case."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applicants.tests.files import good_pdf
from certificates import services
from certificates.dates import add_months
from certificates.models import SanctionCase, Surveillance
from certificates.selectors import surveillance_lists
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification, Role
from schemes.models import Scheme

from .helpers import close_and_letter, convene, decide

pytestmark = pytest.mark.django_db
M = Surveillance.Method
OUT = Surveillance.Outcome
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _record(staff, surveillance, outcome=OUT.MAINTAINED, **kw):
    return services.surveillance_record(
        actor=staff, surveillance=surveillance, method=kw.pop("method", M.LOGBOOK), outcome=outcome,
        notes=kw.pop("notes", "Logbook menunjukkan praktik rutin di bagian PPIC."), **kw,
    )


def test_planned_once_per_interval_after_issue_until_expiry_9_6_2(certificate, tmi):
    assert tmi.surveillance_interval_months == 12
    planned = list(certificate.surveillances.order_by("due_date"))
    assert [(s.period, s.due_date) for s in planned] == [
        (1, add_months(certificate.issue_date, 12)),
        (2, add_months(certificate.issue_date, 24)),
    ]  # the third interval ends at expiry: re-certification (9.7) takes over
    assert all(s.status == Surveillance.Status.DUE for s in planned)


def test_the_interval_is_the_schemes_parameter_9_6_2(staff, chair, member, record, series, tmi):
    Scheme.objects.filter(pk=tmi.pk).update(surveillance_interval_months=6)
    meeting = convene(staff, chair, [record], members=[member])
    decision = decide(member, meeting, record)
    close_and_letter(staff, meeting)
    certificate = services.certificate_issue(actor=staff, decision=decision)
    assert certificate.surveillances.count() == 5  # 6, 12, 18, 24, 30 months; 36 is expiry


def test_the_holder_sends_a_logbook_for_the_current_surveillance_9_6_3(certificate, holder, make_user, staff):
    first = certificate.surveillances.get(period=1)
    second = certificate.surveillances.get(period=2)
    with pytest.raises(NotAllowed):
        services.surveillance_evidence_submit(actor=make_user(Role.APPLICANT), surveillance=first, statement="x")
    with pytest.raises(InvalidState, match="earlier surveillance"):
        services.surveillance_evidence_submit(actor=holder, surveillance=second, statement="x")
    with pytest.raises(InvalidState, match="logbook"):
        services.surveillance_evidence_submit(actor=holder, surveillance=first, statement="  ")
    sent = services.surveillance_evidence_submit(
        actor=holder, surveillance=first, statement="Supervisor PPIC di PT Maju Jaya sejak 2024.",
        files=[good_pdf("logbook.pdf")],
    )
    assert sent.status == Surveillance.Status.EVIDENCE_SUBMITTED and sent.files.count() == 1
    assert Notification.objects.filter(key=f"surveillance-evidence:{first.pk}:{staff.pk}").exists()
    assert AuditEvent.objects.filter(action="surveillance.evidence", object_id=str(first.pk)).exists()


def test_staff_record_method_outcome_and_notes_in_the_holders_record_9_6_4(certificate, staff, holder, client):
    surveillance = certificate.surveillances.get(period=1)
    recorded = _record(staff, surveillance, method=M.SUPERVISOR)
    assert recorded.status == Surveillance.Status.COMPLETED and recorded.recorded_by == staff
    assert recorded.get_method_display().startswith("Confirmation by the direct supervisor")
    assert AuditEvent.objects.filter(action="surveillance.record", object_id=str(surveillance.pk), to_state="completed").exists()
    assert _record(staff, recorded, method=M.SUPERVISOR) == recorded  # the same again: unchanged
    with pytest.raises(InvalidState, match="already been recorded"):
        _record(staff, recorded, outcome=OUT.NOT_MAINTAINED)
    client.force_login(holder)
    page = client.get(reverse("certificates:my-certificate", args=[certificate.pk])).content.decode()
    assert "Competence maintained" in page


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"method": "telepati"}, "method"),
        ({"method": M.OTHER}, "other surveillance method"),
        ({"notes": ""}, "found"),
        ({"outcome": OUT.NOT_MAINTAINED}, "ground"),
        ({"outcome": OUT.FOLLOW_UP}, "follow-up"),
    ],
)
def test_a_record_needs_each_part(certificate, staff, kw, message):
    outcome = kw.pop("outcome", OUT.MAINTAINED)
    with pytest.raises(InvalidState, match=message):
        _record(staff, certificate.surveillances.get(period=1), outcome=outcome, **kw)


def test_only_staff_record_and_not_their_own_certificate(certificate, holder, member):
    with pytest.raises(NotAllowed):
        _record(member, certificate.surveillances.get(period=1))


def test_not_maintained_opens_a_sanction_case_9_6_9_5(certificate, staff, ground):
    recorded = _record(staff, certificate.surveillances.get(period=1), outcome=OUT.NOT_MAINTAINED, ground=ground)
    case = SanctionCase.objects.get(certificate=certificate)
    assert recorded.sanction_case == case and case.status == SanctionCase.Status.OPEN and case.ground == ground
    assert "not maintained" in case.description


def test_follow_up_plans_another_surveillance(certificate, staff):
    first = certificate.surveillances.get(period=1)
    day = timezone.localdate() + datetime.timedelta(days=60)
    _record(staff, first, outcome=OUT.FOLLOW_UP, follow_up_due=day)
    follow_up = Surveillance.objects.get(follow_up_of=first)
    assert follow_up.due_date == day and follow_up.status == Surveillance.Status.DUE


def test_staff_see_due_and_overdue_lists(certificate, staff, client):
    first = certificate.surveillances.get(period=1)
    with time_machine.travel(datetime.datetime.combine(first.due_date - datetime.timedelta(days=31), datetime.time(9), JAKARTA)):
        lists = surveillance_lists()
        assert not lists["due"] and not lists["overdue"]
    with time_machine.travel(datetime.datetime.combine(first.due_date - datetime.timedelta(days=30), datetime.time(9), JAKARTA)):
        assert list(surveillance_lists()["due"]) == [first]
    with time_machine.travel(datetime.datetime.combine(first.due_date + datetime.timedelta(days=1), datetime.time(9), JAKARTA)):
        assert list(surveillance_lists()["overdue"]) == [first]
        client.force_login(staff)
        html = client.get(reverse("certificates:surveillance-list")).content.decode()
        assert reverse("certificates:surveillance-detail", args=[first.pk]) in html


def test_a_suspended_certificate_is_not_listed(certificate, staff, case):
    first = certificate.surveillances.get(period=1)
    services.certificate_suspend(actor=staff, case=case, reason="x", decision_reference="SK")
    with time_machine.travel(datetime.datetime.combine(first.due_date + datetime.timedelta(days=1), datetime.time(9), JAKARTA)):
        assert not surveillance_lists()["overdue"]


def test_the_forms_post_through_the_services(client, certificate, holder, staff, ground):
    first = certificate.surveillances.get(period=1)
    client.force_login(holder)
    response = client.post(
        reverse("certificates:my-surveillance", args=[first.pk]),
        {"statement": "Masih bekerja sebagai supervisor produksi", "files": [good_pdf("logbook.pdf")]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Surveillance.Status.EVIDENCE_SUBMITTED
    uploaded = first.files.get()
    file_url = reverse("certificates:surveillance-file", args=[first.pk, uploaded.uuid])
    assert client.get(file_url).status_code == 200
    client.force_login(staff)
    assert client.get(file_url).status_code == 200
    response = client.post(
        reverse("certificates:surveillance-detail", args=[first.pk]),
        {"method": M.LOGBOOK, "outcome": OUT.NOT_MAINTAINED, "notes": "Tidak ada praktik setahun terakhir", "ground": ground.pk},
    )
    case = SanctionCase.objects.get()
    assert response.url == reverse("certificates:sanction-detail", args=[case.pk])
