"""Appeals (9.9): the window after the decision (9.9.2), the form (9.9.3), an appeal team of people not
involved (9.9.4), the decision due within the scheme's working days of receipt (9.9.6), binding outcomes (9.9.7)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application
from applicants.tests.files import good_pdf
from applicants.uploads import UploadRefused
from assessments import services as assessment_services
from assessments.models import AssessmentRecord, Assignment, EvidenceReview
from assessments.tests.conftest import evidence, make_assessor, plan_units, record_all_units, review_units
from certificates import services
from certificates.models import Appeal, Certificate, Decision, DecisionLetter, Signatory
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, DayOff, Notification, Role
from lsp.workdays import add_working_days

from .helpers import close_and_letter, convene, decide, file_appeal, make_schedule

pytestmark = pytest.mark.django_db
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
O = Appeal.Outcome  # noqa: E741


# --- the window (9.9.2) and the form (9.9.3) --------------------------------------------------------


def test_appeal_filed_one_minute_before_the_window_closes_9_9_2(bk_decision, appellant):
    deadline = bk_decision.appeal_deadline
    assert deadline == bk_decision.communicated_at + datetime.timedelta(days=1)
    with time_machine.travel(deadline - datetime.timedelta(minutes=1), tick=False):
        appeal = file_appeal(appellant, bk_decision)
    assert appeal.status == Appeal.Status.FILED
    assert appeal.number.startswith("BDG/") and appeal.window_deadline == deadline
    assert AuditEvent.objects.filter(action="appeal.file", object_id=str(appeal.pk)).exists()


def test_appeal_refused_one_minute_after_the_window_with_the_deadline_it_missed_9_9_2(bk_decision, appellant):
    deadline = bk_decision.appeal_deadline
    with time_machine.travel(deadline + datetime.timedelta(minutes=1), tick=False), pytest.raises(InvalidState) as refused:
        file_appeal(appellant, bk_decision)
    local = timezone.localtime(deadline)
    assert f"{local:%d-%m-%Y %H:%M}" in str(refused.value)
    assert "9.9.2" in str(refused.value)
    assert not Appeal.objects.exists()


def test_the_window_comes_from_the_scheme_not_the_code_9_9_2(bk_decision, appellant, tmi):
    type(tmi).objects.filter(pk=tmi.pk).update(appeal_window_days=3)
    decision = Decision.objects.get(pk=bk_decision.pk)
    with time_machine.travel(decision.communicated_at + datetime.timedelta(days=2, hours=23), tick=False):
        assert file_appeal(appellant, decision).status == Appeal.Status.FILED


def test_the_deadline_is_shown_on_the_decision_page_with_the_appeal_button_9_9_2(client, bk_decision, appellant):
    client.force_login(appellant)
    html = client.get(reverse("certificates:my-list")).content.decode()
    assert timezone.localtime(bk_decision.appeal_deadline).strftime("%H:%M") in html
    assert reverse("certificates:appeal-file", args=[bk_decision.pk]) in html
    page = client.get(reverse("certificates:appeal-file", args=[bk_decision.pk])).content.decode()
    assert "Has the appeal process been explained to you?" in page  # FR.AK.04's questions
    with time_machine.travel(bk_decision.appeal_deadline + datetime.timedelta(minutes=1), tick=False):
        html = client.get(reverse("certificates:my-list")).content.decode()
        assert reverse("certificates:appeal-file", args=[bk_decision.pk]) not in html
        page = client.get(reverse("certificates:appeal-file", args=[bk_decision.pk])).content.decode()
        assert "The appeal window closed on" in page


def test_only_the_candidate_appeals_and_only_a_not_granted_decision(bk_decision, decision, make_user, candidate, meeting, staff):
    with pytest.raises(NotAllowed):
        file_appeal(make_user(Role.APPLICANT), bk_decision)
    services.meeting_close(actor=staff, meeting=meeting)
    decision.refresh_from_db()
    with pytest.raises(InvalidState, match="tidak diberikan"):
        file_appeal(candidate, decision)


def test_filing_twice_returns_the_first_appeal_and_attachments_are_inspected(bk_decision, appellant):
    first = file_appeal(appellant, bk_decision, files=[good_pdf("bukti-banding.pdf")])
    assert first.attachments.count() == 1
    assert file_appeal(appellant, bk_decision) == first
    assert Appeal.objects.count() == 1
    with pytest.raises(UploadRefused):
        services.appeal_file(
            actor=appellant, decision=bk_decision, reasons="x", process_explained=True, discussed_with_assessor=True,
            involves_other_person=False, files=[_fake_pdf()],
        )


def _fake_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")


def test_staff_are_told_of_a_new_appeal(appeal, staff):
    assert Notification.objects.filter(user=staff, key=f"appeal-filed:{appeal.pk}:{staff.pk}").exists()


def test_the_candidate_withdraws_an_open_appeal_but_not_a_decided_one(appeal, appellant, make_user):
    with pytest.raises(NotAllowed):
        services.appeal_withdraw(actor=make_user(Role.APPLICANT), appeal=appeal)
    withdrawn = services.appeal_withdraw(actor=appellant, appeal=appeal, reason="Sudah jelas")
    assert withdrawn.status == Appeal.Status.WITHDRAWN
    assert services.appeal_withdraw(actor=appellant, appeal=appeal) == withdrawn  # twice: unchanged


# --- receipt and the working-day clock (9.9.6) -------------------------------------------------------


def test_decision_due_14_working_days_after_receipt_across_a_holiday_period_9_9_6(appeal, staff):
    # Received Friday 5 March 2027. Then: Nyepi (8 Mar), cuti bersama declared by the LSP (9 and 12 Mar),
    # Idul Fitri (10–11 Mar), a weekend, Good Friday (26 Mar): the 14th working day is Friday 2 April.
    DayOff.objects.create(date=datetime.date(2027, 3, 9), description="Cuti bersama Idul Fitri")
    DayOff.objects.create(date=datetime.date(2027, 3, 12), description="Cuti bersama Idul Fitri")
    with time_machine.travel(datetime.datetime(2027, 3, 5, 10, 0, tzinfo=JAKARTA), tick=False):
        received = services.appeal_receive(actor=staff, appeal=appeal)
        assert received.due_date == datetime.date(2027, 4, 2)
        assert received.decision_working_days == 14
        assert received.days_left == 14
    with time_machine.travel(datetime.datetime(2027, 3, 15, 9, 0, tzinfo=JAKARTA), tick=False):
        assert received.days_left == 13  # nothing counted during the holidays
    with time_machine.travel(datetime.datetime(2027, 4, 5, 9, 0, tzinfo=JAKARTA), tick=False):
        assert received.days_left == -1 and received.is_overdue
    assert add_working_days(datetime.date(2027, 3, 5), 14) == datetime.date(2027, 4, 2)


def test_receipt_is_acknowledged_by_staff_once(appeal, staff, appellant, appeal_member):
    with pytest.raises(NotAllowed):
        services.appeal_receive(actor=appeal_member, appeal=appeal)
    received = services.appeal_receive(actor=staff, appeal=appeal)
    again = services.appeal_receive(actor=staff, appeal=received)
    assert again.received_at == received.received_at and again.due_date == received.due_date
    assert Notification.objects.filter(user=appellant, key=f"appeal-received:{appeal.pk}").exists()


def test_due_date_and_days_left_visible_to_staff_and_the_team(client, panel_appeal, staff, appeal_member):
    for user in (staff, appeal_member):
        client.force_login(user)
        html = client.get(reverse("certificates:appeal-detail", args=[panel_appeal.pk])).content.decode()
        assert panel_appeal.due_date.strftime("%-d") in html and "working days left" in html, user
    html = client.get(reverse("dashboard-appeal-team")).content.decode()
    assert panel_appeal.number in html and "14 working days left" in html


# --- the appeal team (9.9.4) -------------------------------------------------------------------------


def test_panel_independence_refused_for_the_assessor_and_the_deciding_team_9_9_4(
    received_appeal, staff, assessor, chair, member, appeal_member
):
    from lsp.models import UserRole

    for involved in (assessor.user, chair, member):
        UserRole.objects.get_or_create(user=involved, role=Role.APPEAL_TEAM)
        involved = type(involved).objects.get(pk=involved.pk)  # fresh role cache
        with pytest.raises(NotAllowed, match="9.9.4"):
            services.appeal_panel_form(actor=staff, appeal=received_appeal, members=[appeal_member, involved])
    assert not received_appeal.panel_members.exists()
    formed = services.appeal_panel_form(actor=staff, appeal=received_appeal, members=[appeal_member])
    assert list(formed.panel.all()) == [appeal_member]


def test_panel_members_hold_the_appeal_team_role_and_the_panel_waits_for_receipt(appeal, staff, make_user, appeal_member):
    with pytest.raises(InvalidState, match="receipt"):
        services.appeal_panel_form(actor=staff, appeal=appeal, members=[appeal_member])
    services.appeal_receive(actor=staff, appeal=appeal)
    with pytest.raises(InvalidState, match="not a member of the appeal team"):
        services.appeal_panel_form(actor=staff, appeal=appeal, members=[make_user(Role.STAFF)])
    with pytest.raises(NotAllowed):
        services.appeal_panel_form(actor=appeal_member, appeal=appeal, members=[appeal_member])


def test_panel_members_are_told_and_may_read_the_candidates_file(panel_appeal, appeal_member, client):
    assert Notification.objects.filter(user=appeal_member, key=f"appeal-panel:{panel_appeal.pk}:{appeal_member.pk}").exists()
    from applicants.permissions import can_view_application

    assert can_view_application(appeal_member, panel_appeal.application)


# --- the decision (9.9.7) ----------------------------------------------------------------------------


def test_only_a_member_of_the_appeals_team_decides(panel_appeal, appeal_member2, staff):
    for outsider in (appeal_member2, staff):
        with pytest.raises(NotAllowed):
            services.appeal_decide(actor=outsider, appeal=panel_appeal, outcome=O.REJECTED, reason="-")


def test_rejected_the_decision_stands_and_is_binding_9_9_7(panel_appeal, appeal_member, bk_decision, appellant):
    decided = services.appeal_decide(actor=appeal_member, appeal=panel_appeal, outcome=O.REJECTED, reason="Proses sesuai SOP")
    assert decided.status == Appeal.Status.DECIDED and decided.decision_number.startswith("001/KEP-BANDING/")
    bk_decision.refresh_from_db()
    assert bk_decision.outcome == Decision.Outcome.NOT_GRANTED and bk_decision.amended_by is None
    event = AuditEvent.objects.get(action="appeal.decide", object_id=str(decided.pk))
    assert event.actor == appeal_member and event.data["binding"] == "9.9.7" and event.data["outcome"] == "rejected"
    assert Notification.objects.filter(user=appellant, key=f"appeal-decided:{decided.pk}:{appellant.pk}").exists()
    # Deciding again the same way changes nothing; another way is refused: the decision binds.
    assert services.appeal_decide(actor=appeal_member, appeal=decided, outcome=O.REJECTED, reason="x") == decided
    with pytest.raises(InvalidState, match="binding"):
        services.appeal_decide(actor=appeal_member, appeal=decided, outcome=O.GRANTED, reason="x")


def test_an_undecided_or_withdrawn_appeal_cannot_be_decided(received_appeal, appeal_member, staff, appellant):
    with pytest.raises(NotAllowed):  # no team yet
        services.appeal_decide(actor=appeal_member, appeal=received_appeal, outcome=O.REJECTED, reason="x")
    services.appeal_panel_form(actor=staff, appeal=received_appeal, members=[appeal_member])
    services.appeal_withdraw(actor=appellant, appeal=received_appeal)
    with pytest.raises(InvalidState, match="withdrawn"):
        services.appeal_decide(actor=appeal_member, appeal=received_appeal, outcome=O.REJECTED, reason="x")


def test_granted_changes_the_decision_and_the_certificate_follows_from_an_sk_9_9_7(
    panel_appeal, appeal_member, bk_decision, staff, django_capture_on_commit_callbacks
):
    decided = services.appeal_decide(actor=appeal_member, appeal=panel_appeal, outcome=O.GRANTED, reason="Bukti memadai")
    bk_decision.refresh_from_db()
    assert bk_decision.outcome == Decision.Outcome.GRANTED and bk_decision.recommendation == "BK"
    assert bk_decision.amended_by == decided and bk_decision.original_outcome == Decision.Outcome.NOT_GRANTED
    assert AuditEvent.objects.filter(
        action="decision.amend_by_appeal", object_id=str(bk_decision.pk), from_state="not_granted", to_state="granted"
    ).exists()
    # Not through the meeting's own SK: the certificate needs the SK based on the appeal decision.
    with pytest.raises(InvalidState, match="Surat Keputusan first"):
        services.certificate_issue(actor=staff, decision=bk_decision)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.appeal_certificate_issue(actor=staff, appeal=decided, signatory=Signatory.objects.first())
    letter = DecisionLetter.objects.get(appeal=decided)
    assert certificate.decision == bk_decision and certificate.letter == letter and letter.meeting is None
    assert list(letter.granted_decisions()) == [bk_decision]
    assert certificate.status == Certificate.Status.ACTIVE
    letter.refresh_from_db()
    assert letter.pdf  # the SK PDF names the appeal decision
    assert services.appeal_certificate_issue(actor=staff, appeal=decided, signatory=None) == certificate


def test_the_sk_of_an_appeal_is_listed_and_reported_like_any_sk(
    client, panel_appeal, appeal_member, staff, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    services.appeal_decide(actor=appeal_member, appeal=panel_appeal, outcome=O.GRANTED, reason="Bukti memadai")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.appeal_certificate_issue(actor=staff, appeal=panel_appeal, signatory=Signatory.objects.first())
    letter = certificate.letter
    client.force_login(staff)
    listing = client.get(reverse("certificates:letter-list")).content.decode()
    assert letter.number in listing and panel_appeal.decision_number in listing and "1 / 1" in listing
    detail = client.get(reverse("certificates:letter-detail", args=[letter.pk])).content.decode()
    assert certificate.number in detail
    package = client.get(reverse("certificates:letter-package", args=[letter.pk]))
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert any(name.startswith("berita-acara-") for name in names) and any(name.startswith("sk-") for name in names)
    page = client.get(reverse("certificates:appeal-detail", args=[panel_appeal.pk])).content.decode()
    assert certificate.number in page


def test_an_appeal_granted_later_leaves_the_meetings_own_sk_alone(
    staff, chair, member, record, bk_record, series, appeal_member
):
    meeting = convene(staff, chair, [record, bk_record], members=[member])
    decide(member, meeting, record)
    refused = decide(member, meeting, bk_record, Decision.Outcome.NOT_GRANTED)
    letter = close_and_letter(staff, meeting)
    refused.refresh_from_db()
    appeal = file_appeal(bk_record.application.applicant, refused)
    services.appeal_receive(actor=staff, appeal=appeal)
    services.appeal_panel_form(actor=staff, appeal=appeal, members=[appeal_member])
    services.appeal_decide(actor=appeal_member, appeal=appeal, outcome=O.GRANTED, reason="Bukti memadai")
    assert [d.record for d in letter.granted_decisions()] == [record]
    certificate = services.appeal_certificate_issue(actor=staff, appeal=appeal, signatory=Signatory.objects.first())
    assert certificate.letter != letter


def test_reassessment_is_assigned_to_a_different_assessor_9_9_4(
    panel_appeal, appeal_member, bk_decision, staff, assessor, schedule, make_user, tmi, tuk
):
    decided = services.appeal_decide(
        actor=appeal_member, appeal=panel_appeal, outcome=O.REASSESSMENT, reason="Asesmen ulang oleh asesor lain"
    )
    meeting = bk_decision.meeting
    took_part = {assessor.user_id, meeting.chair_id, bk_decision.decided_by_id, *meeting.members.values_list("pk", flat=True)}
    assert decided.excluded_assessors == sorted(took_part)  # the assessor and the deciding meeting (9.9.4)
    bk_decision.refresh_from_db()
    assert bk_decision.is_set_aside and bk_decision.outcome == Decision.Outcome.NOT_GRANTED
    old_record = AssessmentRecord.objects.get(pk=bk_decision.record_id)
    assert old_record.status == AssessmentRecord.Status.WITHDRAWN  # kept, set aside
    assert old_record.assignment.status == Assignment.Status.REMOVED
    application = Application.objects.get(pk=bk_decision.application_id)
    assert application.status == Application.Status.ACCEPTED
    other = make_assessor(make_user, [tmi], full_name="Citra Asesor Lain")
    session = make_schedule(staff, tmi, tuk, [other])
    with pytest.raises(NotAllowed, match="different assessor"):
        services.appeal_reassessment_assign(actor=staff, appeal=decided, schedule=session, assessor=assessor)
    with pytest.raises(InvalidState, match="another session"):
        services.appeal_reassessment_assign(actor=staff, appeal=decided, schedule=schedule, assessor=other)
    assignment = services.appeal_reassessment_assign(actor=staff, appeal=decided, schedule=session, assessor=other)
    assert assignment.assessor == other and assignment.application == application
    assert assignment.status == Assignment.Status.AWAITING_DECLARATION
    assert services.appeal_reassessment_assign(actor=staff, appeal=decided, schedule=session, assessor=other) == assignment


def test_a_reassessment_by_an_excluded_assessor_is_not_decided_on_9_9_4(
    panel_appeal, appeal_member, bk_decision, staff, assessor, tmi, tuk, chair, member
):
    """The ordinary scheduling pages refuse the old assessor; should such an assignment exist anyway (made before
    that check), the technical team refuses the record."""
    decided = services.appeal_decide(
        actor=appeal_member, appeal=panel_appeal, outcome=O.REASSESSMENT, reason="Asesmen ulang"
    )
    application = Application.objects.get(pk=bk_decision.application_id)
    session = make_schedule(staff, tmi, tuk, [assessor])
    assignment = assessment_services.schedule_add_candidate(actor=staff, schedule=session, application=application)
    with pytest.raises(InvalidState, match=f"appealed in {decided.number}.*different assessor"):
        assessment_services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    Assignment.objects.filter(pk=assignment.pk).update(
        assessor=assessor, status=Assignment.Status.AWAITING_DECLARATION, assigned_at=timezone.now(), assigned_by=staff
    )
    assessment_services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)
    assessment_services.evidence_review_record(
        actor=assessor.user, assignment=assignment, units=review_units(application),
        outcome=EvidenceReview.Outcome.PROCEED, reason="ok",
    )
    assessment_services.plan_save(
        actor=assessor.user, assignment=assignment, date=timezone.localdate(), start_time=datetime.time(9, 0), tuk=tuk,
        units=plan_units(application),
    )
    assessment_services.plan_agree(actor=application.applicant, assignment=assignment, version=1, confidentiality=True)
    record_all_units(assignment, assessor.user, items=[evidence()])
    record = assessment_services.record_submit(actor=assessor.user, assignment=assignment)
    with pytest.raises(InvalidState, match="different assessor"):
        convene(staff, chair, [record], members=[member])


def test_emails_of_the_appeal_reach_the_candidate_in_their_language(panel_appeal, appeal_member, appellant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(actor=appeal_member, appeal=panel_appeal, outcome=O.REJECTED, reason="Sesuai SOP")
    sent = [m for m in mail.outbox if m.to == [appellant.email] and "decided" in m.subject]
    assert sent and "binding on both parties (9.9.7)" in sent[0].body
