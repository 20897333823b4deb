"""Warnings, suspension, reinstatement and revocation (9.5), shown on the public page at once, and the holder's
duty to stop using and return the certificate (9.8.4)."""

import datetime
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, SanctionCase, SanctionPolicy, SanctionStep
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Role
from schemes.models import SchemeClause

pytestmark = pytest.mark.django_db
S = Certificate.Status
C = SanctionCase.Status


def _public_status(client, certificate):
    """What a verifier sees: a fresh request to the QR code's page."""
    client.logout()
    response = client.get(reverse("verify:code", args=[certificate.verification_code]))
    return response.context["certificate"].status


def _suspend(staff, case, **kw):
    return services.certificate_suspend(
        actor=staff, case=case, reason=kw.get("reason", "Tidak mengindahkan peringatan"),
        decision_reference=kw.get("reference", "012/SK/LSP/XII/2026"),
    )


def test_a_case_names_one_of_the_schemes_grounds_9_5_1(staff, certificate, tmi, holder):
    duty = SchemeClause.objects.get(scheme=tmi, kind=SchemeClause.Kind.DUTY, clause="7.2.5")
    not_a_ground = SchemeClause.objects.filter(scheme=tmi, kind=SchemeClause.Kind.PROCESS).first()
    with pytest.raises(InvalidState, match="grounds"):
        services.sanction_case_open(actor=staff, certificate=certificate, ground=not_a_ground, description="x")
    ground = SchemeClause.objects.get(scheme=tmi, kind=SchemeClause.Kind.SUSPENSION_GROUND)
    case = services.sanction_case_open(
        actor=staff, certificate=certificate, ground=ground, duty=duty, description="Logo LSP dipakai tanpa izin"
    )
    assert case.number.startswith("SAN/") and case.status == C.OPEN
    assert case.ground_text.startswith("9.5.1") and case.duty_text.startswith("7.2.5")  # TMI: a breach of 7.2
    with pytest.raises(InvalidState, match="already has an open sanction case"):
        services.sanction_case_open(actor=staff, certificate=certificate, ground=ground, description="lagi")


def test_only_staff_open_cases_and_act_on_them(certificate, ground, holder, member, case):
    with pytest.raises(NotAllowed):
        services.sanction_case_open(actor=member, certificate=certificate, ground=ground, description="x")
    for service in (services.certificate_suspend, services.certificate_revoke):
        with pytest.raises(NotAllowed):
            service(actor=holder, case=case, reason="x", decision_reference="y")
    with pytest.raises(NotAllowed):
        services.sanction_warn(actor=holder, case=case, reason="x")


def test_warnings_are_numbered_dated_and_emailed_9_5_2(staff, case, holder, client, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sanction_warn(actor=staff, case=case, reason="Sertifikat dipakai untuk pekerjaan lain")
        again = services.sanction_warn(actor=staff, case=case, reason="Sertifikat dipakai untuk pekerjaan lain")
        second = services.sanction_warn(actor=staff, case=case, reason="Peringatan kedua")
    assert again == first  # the same warning twice (a double click) is one warning
    assert (first.warning_number, second.warning_number) == (1, 2)
    assert first.effective_date == timezone.localdate()
    subjects = [m.subject for m in mail.outbox if m.to == [holder.email] and "Warning" in m.subject]
    assert len(subjects) == 2
    assert "Warning 1 about your certificate" in subjects[0] and "Warning 2" in subjects[1]
    assert _public_status(client, certificate) == "active"  # a warning does not change the status
    with pytest.raises(InvalidState, match="future"):
        services.sanction_warn(actor=staff, case=case, reason="x", effective_date=timezone.localdate() + datetime.timedelta(days=1))


def test_suspension_shows_on_the_public_page_at_the_next_request_9_5(staff, case, certificate, client, holder):
    assert _public_status(client, certificate) == "active"
    suspended = _suspend(staff, case)
    assert suspended.status == C.SUSPENDED
    assert _public_status(client, certificate) == "suspended"
    certificate.refresh_from_db()
    assert certificate.status == S.SUSPENDED
    step = suspended.steps.get(kind=SanctionStep.Kind.SUSPENSION)
    assert step.decision_reference == "012/SK/LSP/XII/2026" and step.effective_date == timezone.localdate()
    assert AuditEvent.objects.filter(
        action="certificate.suspend", object_id=str(certificate.pk), from_state="active", to_state="suspended"
    ).exists()
    assert _suspend(staff, suspended).status == C.SUSPENDED  # twice: unchanged
    assert suspended.steps.filter(kind=SanctionStep.Kind.SUSPENSION).count() == 1
    with pytest.raises(InvalidState, match="Warnings are given while the case is open"):
        services.sanction_warn(actor=staff, case=suspended, reason="x")


def test_the_holders_duty_to_stop_using_and_return_is_recorded_9_8_4(staff, case, holder, tmi, certificate, client):
    _suspend(staff, case)
    step = SanctionStep.objects.get(case=case, kind=SanctionStep.Kind.SUSPENSION)
    rule = SchemeClause.objects.get(scheme=tmi, kind=SchemeClause.Kind.USE_RULE, clause="9.8.4")
    assert step.return_duty == rule.text and step.awaits_return
    client.force_login(holder)
    page = client.get(reverse("certificates:my-certificate", args=[certificate.pk])).content.decode()
    assert rule.text in page
    returned = services.certificate_return_record(actor=staff, step=step, note="Diserahkan di kantor LSP")
    assert returned.returned_on == timezone.localdate() and not returned.awaits_return
    assert services.certificate_return_record(actor=staff, step=step) == returned
    with pytest.raises(InvalidState, match="9.8.4"):
        services.certificate_return_record(actor=staff, step=SanctionStep.objects.create(
            case=case, kind=SanctionStep.Kind.WARNING, warning_number=9, effective_date=timezone.localdate(),
            reason="x", created_by=staff,
        ))


def test_reinstatement_lifts_the_suspension_and_points_at_it(staff, case, certificate, client, holder):
    _suspend(staff, case)
    reinstated = services.certificate_reinstate(
        actor=staff, case=case, reason="Pemegang telah memenuhi kewajibannya", decision_reference="013/SK/LSP/XII/2026"
    )
    assert reinstated.status == C.CLOSED
    suspension = reinstated.steps.get(kind=SanctionStep.Kind.SUSPENSION)
    reinstatement = reinstated.steps.get(kind=SanctionStep.Kind.REINSTATEMENT)
    assert reinstatement.lifts == suspension and suspension.lifted_by == reinstatement
    assert _public_status(client, certificate) == "active"
    assert services.certificate_reinstate(actor=staff, case=case, reason="x", decision_reference="y") == reinstated
    with pytest.raises(InvalidState, match="closed"):
        _suspend(staff, reinstated)


def test_reinstate_only_a_suspended_certificate(staff, case):
    with pytest.raises(InvalidState, match="Only a suspended certificate"):
        services.certificate_reinstate(actor=staff, case=case, reason="x", decision_reference="y")


def test_revocation_needs_an_ignored_warning_by_default_renbang_9_5_2(staff, case, certificate, client):
    """Without a policy of its own a scheme follows the stricter reading (LSP Renbang 9.5.2). The seeds give LSP TMI
    one (direct revocation); it is taken away here to see the default."""
    SanctionPolicy.objects.filter(scheme=certificate.scheme).delete()
    assert not SanctionPolicy.objects.filter(scheme=certificate.scheme).exists()
    with pytest.raises(InvalidState, match="1 ignored warning"):
        services.certificate_revoke(actor=staff, case=case, reason="Penyalahgunaan", decision_reference="SK-1")
    services.sanction_warn(actor=staff, case=case, reason="Hentikan penyalahgunaan sertifikat")
    revoked = services.certificate_revoke(actor=staff, case=case, reason="Peringatan diabaikan", decision_reference="SK-2")
    assert revoked.status == C.REVOKED
    assert _public_status(client, certificate) == "revoked"
    assert services.certificate_revoke(actor=staff, case=case, reason="x", decision_reference="y") == revoked
    with pytest.raises(InvalidState, match="Only a suspended certificate"):
        services.certificate_reinstate(actor=staff, case=revoked, reason="x", decision_reference="y")


def test_direct_revocation_where_the_scheme_allows_it_tmi_9_5_2(staff, case, certificate, client, tmi_direct_policy):
    revoked = services.certificate_revoke(actor=staff, case=case, reason="Pemalsuan data", decision_reference="SK-3")
    assert revoked.status == C.REVOKED and _public_status(client, certificate) == "revoked"
    step = revoked.steps.get(kind=SanctionStep.Kind.REVOCATION)
    assert "mengembalikan sertifikat" in step.return_duty  # 9.8.4


def test_tmi_revokes_directly_with_the_policy_loaded_from_its_seed_file_9_5_2(staff, case, certificate, tmi):
    """LSP TMI 9.5.2: "secara langsung atau melalui tahapan peringatan". Nothing set by hand: the seed file's policy."""
    assert certificate.scheme == tmi and not case.steps.filter(kind=SanctionStep.Kind.WARNING).exists()
    revoked = services.certificate_revoke(actor=staff, case=case, reason="Pemalsuan data", decision_reference="SK-5")
    assert revoked.status == C.REVOKED


def test_renbang_revokes_only_after_an_ignored_warning_with_the_policy_loaded_from_its_seed_file_9_5_2(
    staff, chair, member, make_user, tmi, tuk, series, organisation
):
    """LSP Renbang 9.5.2: "pencabutan sertifikat apabila pemegang sertifikat tidak mengindahkan peringatan"."""
    from schemes.models import Scheme
    from schemes.selectors import scheme_suspension_grounds

    from .helpers import close_and_letter, convene, decide, make_assessor, make_schedule, submitted_record

    renbang = Scheme.objects.get(document_number="SKM/02/KLS/VIII/2020")  # loaded with TMI's seed
    policy = SanctionPolicy.objects.get(scheme=renbang)
    assert (policy.direct_revocation_allowed, policy.warnings_before_revocation, policy.clause) == (False, 1, "9.5.2")
    assessor = make_assessor(make_user, [renbang], full_name="Rudi Asesor")
    record = submitted_record(
        candidate=make_user(Role.APPLICANT, full_name="Sinta Perencana"), staff=staff, scheme=renbang,
        assessor=assessor, schedule=make_schedule(staff, renbang, tuk, [assessor]), tuk=tuk,
    )
    meeting = convene(staff, chair, [record], members=[member])
    decision = decide(member, meeting, record)
    close_and_letter(staff, meeting)
    certificate = services.certificate_issue(actor=staff, decision=decision)
    case = services.sanction_case_open(
        actor=staff, certificate=certificate, ground=scheme_suspension_grounds(scheme=renbang).first(),
        description="Sertifikat dipakai di luar ruang lingkupnya",
    )
    with pytest.raises(InvalidState, match="1 ignored warning"):
        services.certificate_revoke(actor=staff, case=case, reason="Penyalahgunaan", decision_reference="SK-6")
    services.sanction_warn(actor=staff, case=case, reason="Hentikan penyalahgunaan sertifikat")
    revoked = services.certificate_revoke(actor=staff, case=case, reason="Peringatan diabaikan", decision_reference="SK-7")
    assert revoked.status == C.REVOKED


def test_suspension_without_a_warning_only_where_the_policy_allows(staff, case, tmi):
    SanctionPolicy.objects.filter(scheme=tmi).update(direct_suspension_allowed=False)
    with pytest.raises(InvalidState, match="only after a warning"):
        _suspend(staff, case)
    services.sanction_warn(actor=staff, case=case, reason="Peringatan")
    assert _suspend(staff, case).status == C.SUSPENDED


def test_revoking_a_suspended_certificate(staff, case, certificate, client, tmi_direct_policy):
    _suspend(staff, case)
    services.certificate_revoke(actor=staff, case=case, reason="Tidak dikembalikan", decision_reference="SK-4")
    certificate.refresh_from_db()
    assert certificate.status == S.REVOKED and _public_status(client, certificate) == "revoked"


def test_closing_without_a_sanction(staff, case, certificate, client):
    closed = services.sanction_case_close(actor=staff, case=case, reason="Tidak terbukti")
    assert closed.status == C.CLOSED and _public_status(client, certificate) == "active"
    with pytest.raises(InvalidState):
        services.sanction_warn(actor=staff, case=closed, reason="x")


def test_the_holder_is_told_each_step_in_their_language(staff, case, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(staff, case)
    sent = [m for m in mail.outbox if m.to == [holder.email]]
    assert sent[-1].subject.endswith("is suspended") and "9.8.4" in sent[-1].body


def _pdf_text(content, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_is_rebuilt_with_the_mark_after_suspension_and_without_after_reinstatement(
    staff, case, certificate, client, tmp_path, django_capture_on_commit_callbacks
):
    assert certificate.pdf_status == ""
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(staff, case)
    certificate.refresh_from_db()
    assert certificate.pdf_status == "suspended"
    with default_storage.open(certificate.pdf, "rb") as handle:
        assert "DIBEKUKAN" in _pdf_text(handle.read(), tmp_path)
    client.force_login(staff)
    response = client.get(reverse("certificates:certificate-pdf", args=[certificate.pk]))
    assert "DIBEKUKAN" in _pdf_text(b"".join(response.streaming_content), tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reinstate(actor=staff, case=case, reason="Selesai", decision_reference="SK-5")
    certificate.refresh_from_db()
    assert certificate.pdf_status == ""
    with default_storage.open(certificate.pdf, "rb") as handle:
        assert "DIBEKUKAN" not in _pdf_text(handle.read(), tmp_path)


def test_staff_views_act_through_the_services(client, staff, certificate, ground, holder):
    client.force_login(staff)
    response = client.post(
        reverse("certificates:sanction-open", args=[certificate.pk]), {"ground": ground.pk, "description": "Dipakai di luar lingkup"}
    )
    case = SanctionCase.objects.get()
    assert response.url == reverse("certificates:sanction-detail", args=[case.pk])
    client.post(reverse("certificates:sanction-warn", args=[case.pk]), {"warn-reason": "Hentikan", "warn-effective_date": timezone.localdate().isoformat()})
    client.post(
        reverse("certificates:sanction-suspend", args=[case.pk]),
        {"suspend-reason": "Diabaikan", "suspend-decision_reference": "SK-9", "suspend-effective_date": timezone.localdate().isoformat()},
    )
    case.refresh_from_db()
    assert case.status == C.SUSPENDED and case.steps.count() == 2
    page = client.get(reverse("certificates:sanction-detail", args=[case.pk])).content.decode()
    assert "SK-9" in page and "Reinstate" in page
    assert client.get(reverse("certificates:sanction-suspend", args=[case.pk])).status_code == 405


def test_a_role_other_than_staff_cannot_open_a_case_page(client, make_user, certificate):
    client.force_login(make_user(Role.APPEAL_TEAM))
    assert client.get(reverse("certificates:sanction-open", args=[certificate.pk])).status_code == 403
