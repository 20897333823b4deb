"""The technical team's meeting and decisions (9.4.2–9.4.5): impartiality, nothing skips a step, decided once."""

import datetime

import pytest
from django.core import mail

from applicants.models import Application
from assessments import services as assessment_services
from certificates import services
from certificates.models import Decision, ImpartialityDeclaration, Signatory, TechnicalMeeting
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification, Role, UserRole

from .helpers import convene, decide

pytestmark = pytest.mark.django_db
GRANTED, NOT_GRANTED = Decision.Outcome.GRANTED, Decision.Outcome.NOT_GRANTED


def test_decision_by_the_candidates_assessor_is_refused_9_4_2(staff, chair, assessor, record):
    UserRole.objects.create(user=assessor.user, role=Role.TECHNICAL_TEAM)
    meeting = convene(staff, chair, [record], members=[assessor.user])
    with pytest.raises(NotAllowed, match="impartiality"):
        decide(assessor.user, meeting, record)
    assert not Decision.objects.exists()
    # The chair, who had no part in the assessment, may decide.
    assert decide(chair, meeting, record).decided_by == chair


def test_meeting_refused_when_only_the_assessor_could_decide_9_4_2(staff, assessor, record):
    UserRole.objects.create(user=assessor.user, role=Role.TECHNICAL_TEAM)
    with pytest.raises(InvalidState, match="No member of this meeting is free"):
        convene(staff, assessor.user, [record])


def test_member_who_trained_the_candidate_declares_it_and_cannot_decide_9_4_2(meeting, member, record, chair):
    services.member_conflict_declare(
        actor=member, meeting=meeting, record=record, kind=ImpartialityDeclaration.Kind.TRAINED, note="Pelatihan 2025"
    )
    with pytest.raises(NotAllowed, match="conflict of interest"):
        decide(member, meeting, record)
    # Declaring twice keeps the first declaration.
    again = services.member_conflict_declare(actor=member, meeting=meeting, record=record, kind="other")
    assert again.kind == ImpartialityDeclaration.Kind.TRAINED
    assert decide(chair, meeting, record).outcome == GRANTED


def test_no_decision_without_a_submitted_recommendation_9_4_2(staff, meeting, member, record):
    assessment_services.record_reopen(actor=staff, record=record, reason="Koreksi unit 3")
    with pytest.raises(InvalidState, match="no submitted recommendation"):
        decide(member, meeting, record)
    assert not Decision.objects.exists()


def test_meeting_refuses_a_record_that_is_not_submitted_9_4_4(staff, chair, record):
    assessment_services.record_reopen(actor=staff, record=record, reason="Koreksi")
    with pytest.raises(InvalidState, match="no submitted recommendation"):
        convene(staff, chair, [record])


def test_only_staff_convene_and_only_technical_team_sit(make_user, chair, record, staff):
    with pytest.raises(NotAllowed):
        convene(chair, chair, [record])
    outsider = make_user(Role.ASSESSOR, full_name="Bukan Tim")
    with pytest.raises(InvalidState, match="not a member of the technical team"):
        convene(staff, chair, [record], members=[outsider])


def test_a_record_is_before_one_open_meeting_at_a_time(staff, chair, meeting, record):
    with pytest.raises(InvalidState, match="already before another open meeting"):
        convene(staff, chair, [record])


def test_staff_and_non_members_cannot_decide_9_4_2(staff, make_user, meeting, record):
    with pytest.raises(NotAllowed):
        decide(staff, meeting, record)
    with pytest.raises(NotAllowed):
        decide(make_user(Role.TECHNICAL_TEAM), meeting, record)


def test_the_team_verifies_before_deciding_9_4_4(meeting, member, record):
    with pytest.raises(InvalidState, match="Verify the recommendation"):
        services.decision_record(
            actor=member, meeting=meeting, record=record, outcome=GRANTED, recommendation_verified=True,
            evidence_verified=False,
        )


def test_granted_only_on_kompeten_9_4_6(staff, chair, member, bk_record):
    meeting = convene(staff, chair, [bk_record], members=[member])
    with pytest.raises(InvalidState, match="only on a Kompeten recommendation"):
        decide(member, meeting, bk_record, GRANTED)
    decision = decide(member, meeting, bk_record, NOT_GRANTED)
    assert (decision.recommendation, decision.outcome) == ("BK", NOT_GRANTED)


def test_not_granting_against_kompeten_needs_a_reason(meeting, member, record):
    with pytest.raises(InvalidState, match="Give the reason"):
        decide(member, meeting, record, NOT_GRANTED)
    assert decide(member, meeting, record, NOT_GRANTED, notes="Bukti unit 2 diragukan keasliannya").notes


def test_a_candidate_is_decided_once(meeting, member, chair, record):
    first = decide(member, meeting, record)
    assert decide(chair, meeting, record) == first  # the same answer: unchanged
    with pytest.raises(InvalidState, match="already been decided"):
        decide(chair, meeting, record, NOT_GRANTED, notes="berbeda")
    assert Decision.objects.count() == 1


def test_decision_is_audited_and_completes_the_application(decision, record, member):
    event = AuditEvent.objects.get(action="decision.record")
    assert (event.actor, event.to_state, event.data["recommendation"]) == (member, GRANTED, "K")
    application = Application.objects.get(pk=record.application_id)
    assert application.status == Application.Status.COMPLETED
    assert AuditEvent.objects.filter(action="application.complete", object_id=str(application.pk)).exists()
    assert decision.communicated_at is None and decision.appeal_deadline is None


def test_closing_draws_up_the_berita_acara_and_tells_the_candidate_with_the_appeal_deadline_9_9_2(
    staff, meeting, decision, candidate, django_capture_on_commit_callbacks
):
    # The message is written in the recipient's language; this candidate reads English (the msgids).
    candidate.preferred_language = "en"
    candidate.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.meeting_close(actor=staff, meeting=meeting)
    closed.refresh_from_db()
    assert closed.status == TechnicalMeeting.Status.CLOSED
    assert closed.minutes_number.startswith("001/BA/TT/")
    assert closed.minutes_pdf  # built by the task after commit
    decision.refresh_from_db()
    assert decision.appeal_deadline == decision.communicated_at + datetime.timedelta(days=1)
    message = Notification.objects.get(key=f"decision-communicated:{decision.pk}")
    assert message.user == candidate
    assert "Sertifikat diberikan" in message.body and "appeal until" in message.body
    assert [m.to for m in mail.outbox if m.subject == message.subject] == [[candidate.email]]
    # Closing again changes nothing and tells no one twice.
    assert services.meeting_close(actor=staff, meeting=closed).minutes_number == closed.minutes_number
    assert Notification.objects.filter(key__startswith="decision-communicated:").count() == 1


def test_undecided_candidates_stay_for_a_later_meeting(staff, chair, member, record, bk_record):
    meeting = convene(staff, chair, [record, bk_record], members=[member])
    decide(member, meeting, record)
    services.meeting_close(actor=staff, meeting=meeting)
    later = convene(staff, chair, [bk_record], members=[member])
    assert decide(member, later, bk_record, NOT_GRANTED).meeting == later


def test_closing_needs_a_decision_and_the_right_person(meeting, member, chair):
    with pytest.raises(NotAllowed):
        services.meeting_close(actor=member, meeting=meeting)
    with pytest.raises(InvalidState, match="No decision"):
        services.meeting_close(actor=chair, meeting=meeting)


def test_a_closed_meeting_is_final(staff, member, chair, record, bk_record):
    meeting = convene(staff, chair, [record, bk_record], members=[member])
    decide(member, meeting, record)
    services.meeting_close(actor=chair, meeting=meeting)
    with pytest.raises(InvalidState, match="meeting is closed"):
        decide(member, meeting, bk_record, NOT_GRANTED)


def test_sk_only_from_a_closed_berita_acara_9_4_5(staff, meeting, decision, series):
    signatory = Signatory.objects.get()
    with pytest.raises(InvalidState, match="Close the meeting"):
        services.decision_letter_issue(actor=staff, meeting=meeting, signatory=signatory)
    services.meeting_close(actor=staff, meeting=meeting)
    letter = services.decision_letter_issue(actor=staff, meeting=meeting, signatory=signatory)
    assert letter.number.startswith("001/SK/LSP/") and letter.signatory_name == signatory.name
    assert services.decision_letter_issue(actor=staff, meeting=meeting, signatory=signatory) == letter


def test_sk_needs_a_granted_candidate(staff, chair, member, bk_record, series):
    meeting = convene(staff, chair, [bk_record], members=[member])
    decide(member, meeting, bk_record, NOT_GRANTED)
    services.meeting_close(actor=staff, meeting=meeting)
    with pytest.raises(InvalidState, match="No candidate was granted"):
        services.decision_letter_issue(actor=staff, meeting=meeting, signatory=Signatory.objects.get())


def test_a_decided_record_cannot_be_reopened_9_4_1(decision, record, staff):
    from assessments.services import record_reopen
    from lsp.errors import DomainError

    with pytest.raises(DomainError, match="already decided"):
        record_reopen(actor=staff, record=record, reason="koreksi")
    record.refresh_from_db()
    assert record.status == record.Status.SUBMITTED
