"""Schedules, candidates on them, and conflict-free assignment of assessors (9.2.2, 9.3.2)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from applicants.models import Application, Invoice
from assessments import services
from assessments.models import AssessmentRecord, Assignment, ConflictDeclaration, ConflictKind, Schedule, Tuk
from assessments.selectors import assessors_for_assignment
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification, Role

from .conftest import TODAY, make_assessor, ready_application, record_all_units

pytestmark = pytest.mark.django_db
A = Assignment.Status


def events(obj, action):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


# --- schedules ---------------------------------------------------------------------------------


def test_schedule_created_at_a_verified_tuk_with_a_number_9_3_2(schedule, staff, tuk, assessor):
    assert schedule.number == f"JUK/{TODAY().year}/0001"
    assert schedule.status == Schedule.Status.SCHEDULED
    assert list(schedule.assessors.all()) == [assessor]
    event = events(schedule, "schedule.create").get()
    assert (event.actor, event.to_state) == (staff, "scheduled")


def test_schedule_refused_at_an_unverified_tuk_9_3_2(staff, tmi):
    tuk = services.tuk_create(actor=staff, name="TUK Baru", tuk_type=Tuk.Type.WORKPLACE, address="x", contact_person="y")
    with pytest.raises(InvalidState, match="9.3.2"):
        services.schedule_create(actor=staff, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(8), capacity=3)
    assert not Schedule.objects.exists()


def test_schedule_refused_after_the_tuk_verification_expires_9_3_2(staff, tmi, tuk):
    after = TODAY() + datetime.timedelta(days=400)
    with pytest.raises(InvalidState):
        services.schedule_create(actor=staff, scheme=tmi, tuk=tuk, date=after, start_time=datetime.time(8), capacity=3)


def test_schedule_refused_in_the_past_and_for_non_staff(staff, tmi, tuk, assessor):
    with pytest.raises(InvalidState):
        services.schedule_create(
            actor=staff, scheme=tmi, tuk=tuk, date=TODAY() - datetime.timedelta(days=1), start_time=datetime.time(8),
            capacity=3,
        )
    with pytest.raises(NotAllowed):
        services.schedule_create(
            actor=assessor.user, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(8), capacity=3
        )


def test_schedule_refuses_an_assessor_of_another_scheme_9_2_2(staff, renbang, tuk, assessor):
    renbang.status = "active"
    renbang.save()
    with pytest.raises(InvalidState, match="not competent"):
        services.schedule_create(
            actor=staff, scheme=renbang, tuk=tuk, date=TODAY(), start_time=datetime.time(8), capacity=3,
            assessors=[assessor],
        )


# --- candidates on a schedule -----------------------------------------------------------------------


def test_add_an_accepted_paid_candidate_tells_them_9_2_2(staff, schedule, application, candidate):
    mail.outbox.clear()
    assignment = services.schedule_add_candidate(actor=staff, schedule=schedule, application=application)
    assert (assignment.status, assignment.assessor) == (A.AWAITING_ASSESSOR, None)
    assert events(assignment, "assignment.add").get().to_state == A.AWAITING_ASSESSOR
    assert Notification.objects.filter(user=candidate, subject__contains=schedule.number).exists()
    # Twice: the same assignment, no second audit row.
    assert services.schedule_add_candidate(actor=staff, schedule=schedule, application=application) == assignment
    assert events(assignment, "assignment.add").count() == 1


def test_add_candidate_refused_before_acceptance(make_user, staff, schedule, tmi, organisation):
    applicant = make_user(Role.APPLICANT, full_name="Belum Diterima")
    submitted = ready_application(applicant, staff, tmi, accept=False)
    with pytest.raises(InvalidState, match="not accepted"):
        services.schedule_add_candidate(actor=staff, schedule=schedule, application=submitted)
    assert not Assignment.objects.exists()


def test_add_candidate_refused_before_payment(make_user, staff, schedule, tmi, organisation):
    applicant = make_user(Role.APPLICANT, full_name="Belum Bayar")
    unpaid = ready_application(applicant, staff, tmi, pay=None)
    assert unpaid.invoice.status == Invoice.Status.UNPAID
    with pytest.raises(InvalidState, match="not paid"):
        services.schedule_add_candidate(actor=staff, schedule=schedule, application=unpaid)


def test_add_candidate_paid_by_transfer(make_user, staff, schedule, tmi, organisation):
    applicant = make_user(Role.APPLICANT, full_name="Sudah Transfer")
    paid = ready_application(applicant, staff, tmi, pay="transfer")
    assert services.schedule_add_candidate(actor=staff, schedule=schedule, application=paid).status == A.AWAITING_ASSESSOR


def test_add_candidate_refused_for_another_scheme(staff, schedule, make_user, renbang, organisation):
    renbang.status = "active"
    renbang.save()
    applicant = make_user(Role.APPLICANT, full_name="Skema Lain")
    other = ready_application(applicant, staff, renbang)
    with pytest.raises(InvalidState, match="another scheme"):
        services.schedule_add_candidate(actor=staff, schedule=schedule, application=other)


def test_add_candidate_refused_when_on_another_schedule_or_full(staff, schedule, assignment, tmi, tuk, make_user):
    second = services.schedule_create(
        actor=staff, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(13), capacity=1
    )
    with pytest.raises(InvalidState, match=schedule.number):
        services.schedule_add_candidate(actor=staff, schedule=second, application=assignment.application)
    other = ready_application(make_user(Role.APPLICANT, full_name="Dewi"), staff, tmi)
    services.schedule_add_candidate(actor=staff, schedule=second, application=other)
    third = ready_application(make_user(Role.APPLICANT, full_name="Eko"), staff, tmi)
    with pytest.raises(InvalidState, match="full"):
        services.schedule_add_candidate(actor=staff, schedule=second, application=third)


def test_add_candidate_refused_for_non_staff_and_own_application(schedule, application, candidate, assessor):
    with pytest.raises(NotAllowed):
        services.schedule_add_candidate(actor=assessor.user, schedule=schedule, application=application)
    candidate.roles.create(role=Role.STAFF)
    candidate = type(candidate).objects.get(pk=candidate.pk)
    with pytest.raises(NotAllowed):
        services.schedule_add_candidate(actor=candidate, schedule=schedule, application=application)


# --- assigning an assessor ---------------------------------------------------------------------------


def test_assign_emails_the_assessor_to_declare_9_2_2(staff, assignment, assessor):
    mail.outbox.clear()
    assigned = services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    assert (assigned.status, assigned.assessor, assigned.assigned_by) == (A.AWAITING_DECLARATION, assessor, staff)
    event = events(assigned, "assignment.assign").get()
    assert (event.from_state, event.to_state) == (A.AWAITING_ASSESSOR, A.AWAITING_DECLARATION)
    assert Notification.objects.filter(user=assessor.user, key__isnull=True).count() == 1
    # Twice with the same assessor: unchanged.
    services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    assert events(assigned, "assignment.assign").count() == 1


def test_assign_refused_when_registration_expired_before_the_test_9_2_2(staff, assignment, make_user, tmi):
    expired = make_assessor(make_user, [tmi], valid_until=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(InvalidState, match="not valid"):
        services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=expired)
    assert Assignment.objects.get(pk=assignment.pk).assessor is None


def test_assign_refused_for_an_assessor_not_competent_for_the_scheme_9_2_2(staff, assignment, make_user, renbang):
    other_scheme = make_assessor(make_user, [renbang])
    with pytest.raises(InvalidState, match="not competent"):
        services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=other_scheme)


def test_assign_refused_for_an_inactive_assessor(staff, assignment, make_user, tmi):
    inactive = make_assessor(make_user, [tmi], active=False)
    with pytest.raises(InvalidState, match="not an active"):
        services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=inactive)


def test_nobody_is_assigned_to_assess_themself(staff, assignment, candidate, tmi, make_user):
    candidate.roles.create(role=Role.ASSESSOR)
    own = make_assessor(make_user, [tmi], user=candidate)
    with pytest.raises(NotAllowed):
        services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=own)
    assert own not in assessors_for_assignment(assignment)


def test_assign_refused_for_non_staff(assignment, assessor):
    with pytest.raises(NotAllowed):
        services.assignment_assign_assessor(actor=assessor.user, assignment=assignment, assessor=assessor)


def test_staff_may_change_the_assessor_before_the_declaration(staff, assigned, other_assessor):
    changed = services.assignment_assign_assessor(actor=staff, assignment=assigned, assessor=other_assessor)
    assert (changed.assessor, changed.status) == (other_assessor, A.AWAITING_DECLARATION)


def test_assessor_cannot_be_changed_once_declared(staff, active, other_assessor):
    with pytest.raises(InvalidState):
        services.assignment_assign_assessor(actor=staff, assignment=active, assessor=other_assessor)


# --- conflict of interest ---------------------------------------------------------------------------


def test_declaring_no_conflict_opens_the_file(assigned, assessor):
    active = services.assignment_declare(actor=assessor.user, assignment=assigned, has_conflict=False)
    assert (active.status, active.declared_at is not None) == (A.ACTIVE, True)
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.assessor, declaration.has_conflict) == (assessor, False)
    event = events(active, "assignment.declare_no_conflict").get()
    assert (event.actor, event.from_state, event.to_state) == (assessor.user, A.AWAITING_DECLARATION, A.ACTIVE)
    # Twice: unchanged, no second declaration.
    services.assignment_declare(actor=assessor.user, assignment=assigned, has_conflict=False)
    assert ConflictDeclaration.objects.count() == 1


def test_declared_conflict_blocks_the_assignment_and_staff_choose_someone_else(
    staff, assigned, assessor, other_assessor
):
    blocked = services.assignment_declare(
        actor=assessor.user, assignment=assigned, has_conflict=True, kinds=[ConflictKind.TRAINED], note="Pernah melatih"
    )
    assert (blocked.status, blocked.assessor) == (A.AWAITING_ASSESSOR, None)
    event = events(blocked, "assignment.declare_conflict").get()
    assert (event.from_state, event.to_state, event.reason) == (A.AWAITING_DECLARATION, A.AWAITING_ASSESSOR, "Pernah melatih")
    assert event.data["kinds"] == ["trained"]
    assert Notification.objects.filter(user=staff, subject__contains=blocked.schedule.number).exists()
    # The conflicted assessor is refused for this candidate from now on, and no longer offered.
    with pytest.raises(InvalidState, match="conflict"):
        services.assignment_assign_assessor(actor=staff, assignment=blocked, assessor=assessor)
    assert assessor not in assessors_for_assignment(blocked)
    # Someone else is fine.
    assert services.assignment_assign_assessor(actor=staff, assignment=blocked, assessor=other_assessor).assessor == other_assessor


def test_conflict_needs_its_kind_and_an_explanation_for_other(assigned, assessor):
    with pytest.raises(InvalidState):
        services.assignment_declare(actor=assessor.user, assignment=assigned, has_conflict=True, kinds=[])
    with pytest.raises(InvalidState):
        services.assignment_declare(
            actor=assessor.user, assignment=assigned, has_conflict=True, kinds=[ConflictKind.OTHER], note=""
        )
    assert not ConflictDeclaration.objects.exists()


def test_only_the_assigned_assessor_declares(assigned, other_assessor, staff):
    for actor in (other_assessor.user, staff):
        with pytest.raises(NotAllowed):
            services.assignment_declare(actor=actor, assignment=assigned, has_conflict=False)


def test_declaration_refused_without_an_assessor(assignment, assessor):
    with pytest.raises(NotAllowed):
        services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)


def test_conflict_refused_after_declaring_none(active, assessor):
    with pytest.raises(InvalidState):
        services.assignment_declare(
            actor=assessor.user, assignment=active, has_conflict=True, kinds=[ConflictKind.FAMILY]
        )


# --- a re-assessment ordered on appeal: a different assessor (9.9.4) -------------------------------


@pytest.fixture
def reassessment(agreed, assessor, staff, candidate, make_user, tmi, tuk, other_assessor):
    """``assessor`` found the candidate Belum Kompeten, the technical team did not grant the certificate, and the
    appeal team ordered a re-assessment (9.9.7), which excludes ``assessor`` (9.9.4). The candidate is back on
    a new session, awaiting an assessor; ``other_assessor`` is competent for it too."""
    from certificates import services as certificate_services
    from certificates.models import Appeal, Decision
    from certificates.tests.helpers import convene, decide, file_appeal

    from .conftest import evidence

    record_all_units(agreed, assessor.user, items=[evidence(current=False)])
    record = services.record_submit(actor=assessor.user, assignment=agreed, follow_up="Ulangi unit 1")
    chair, member = make_user(Role.TECHNICAL_TEAM), make_user(Role.TECHNICAL_TEAM)
    meeting = convene(staff, chair, [record], members=[member])
    decision = decide(member, meeting, record, Decision.Outcome.NOT_GRANTED, notes="Bukti belum memadai")
    certificate_services.meeting_close(actor=staff, meeting=meeting)
    appeal = certificate_services.appeal_receive(actor=staff, appeal=file_appeal(candidate, decision))
    appeal_member = make_user(Role.APPEAL_TEAM)
    certificate_services.appeal_panel_form(actor=staff, appeal=appeal, members=[appeal_member])
    appeal = certificate_services.appeal_decide(
        actor=appeal_member, appeal=appeal, outcome=Appeal.Outcome.REASSESSMENT, reason="Asesmen ulang oleh asesor lain"
    )
    assert appeal.excluded_assessors == sorted({assessor.user_id, chair.pk, member.pk})
    session = services.schedule_create(
        actor=staff, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(13), capacity=5,
        assessors=[assessor, other_assessor],
    )
    assignment = services.schedule_add_candidate(actor=staff, schedule=session, application=agreed.application)
    return {"appeal": appeal, "assignment": assignment, "meeting_member": member}


def test_assign_refused_for_an_assessor_the_appeal_excluded_9_9_4(reassessment, staff, assessor, other_assessor):
    appeal, assignment = reassessment["appeal"], reassessment["assignment"]
    with pytest.raises(InvalidState) as refused:
        services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    assert str(refused.value) == (
        f"{assessor.user} took part in the assessment or the decision appealed in {appeal.number}; the "
        "re-assessment the appeal ordered needs a different assessor (9.9.4). Choose another assessor."
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.assessor) == (A.AWAITING_ASSESSOR, None)
    assert not events(assignment, "assignment.assign").exists()
    # Another assessor is fine.
    chosen = services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=other_assessor)
    assert (chosen.status, chosen.assessor) == (A.AWAITING_DECLARATION, other_assessor)


def test_a_member_of_the_deciding_meeting_may_not_reassess_9_9_4(reassessment, staff, make_user, tmi):
    """A technical team member who is also a registered assessor decided the appealed matter: not the re-assessor."""
    appeal, assignment = reassessment["appeal"], reassessment["assignment"]
    member_as_assessor = make_assessor(make_user, [tmi], user=reassessment["meeting_member"])
    assignment.schedule.assessors.add(member_as_assessor)
    with pytest.raises(InvalidState) as refused:
        services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=member_as_assessor)
    assert f"took part in the assessment or the decision appealed in {appeal.number}" in str(refused.value)
    assert Assignment.objects.get(pk=assignment.pk).assessor is None


def test_an_appeal_excludes_the_assessor_for_that_candidate_only_9_9_4(
    reassessment, staff, assessor, make_user, tmi, organisation
):
    other_candidate = ready_application(make_user(Role.APPLICANT, full_name="Citra Lain"), staff, tmi)
    session = reassessment["assignment"].schedule
    assignment = services.schedule_add_candidate(actor=staff, schedule=session, application=other_candidate)
    assert services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor).assessor == assessor


def test_the_scheduling_page_shows_why_an_excluded_assessor_is_refused_9_9_4(
    reassessment, client, settings, staff, assessor
):
    appeal, assignment = reassessment["appeal"], reassessment["assignment"]
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("assessments:assignment-assign", args=[assignment.pk]),
        {f"a{assignment.pk}-assessor": assessor.pk},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("assessments:schedule-detail", args=[assignment.schedule_id]), 302)]
    page = response.content.decode()
    assert f"took part in the assessment or the decision appealed in {appeal.number}" in page
    assert "needs a different assessor (9.9.4)" in page
    assert Assignment.objects.get(pk=assignment.pk).assessor is None


# --- taking a candidate off, cancelling ------------------------------------------------------------


def test_remove_needs_a_reason_and_withdraws_a_draft_record(staff, agreed, assessor, candidate):
    record_all_units(agreed, assessor.user)
    with pytest.raises(InvalidState):
        services.assignment_remove(actor=staff, assignment=agreed, reason=" ")
    removed = services.assignment_remove(actor=staff, assignment=agreed, reason="Sakit")
    assert removed.status == A.REMOVED
    assert AssessmentRecord.objects.get().status == AssessmentRecord.Status.WITHDRAWN
    assert events(removed, "assignment.remove").get().reason == "Sakit"
    # Removed: the assessor no longer works on it.
    with pytest.raises(InvalidState):
        services.assignment_declare(actor=assessor.user, assignment=removed, has_conflict=False)


def test_remove_refused_once_results_are_submitted(staff, agreed, assessor):
    record_all_units(agreed, assessor.user)
    services.record_submit(actor=assessor.user, assignment=agreed)
    with pytest.raises(InvalidState):
        services.assignment_remove(actor=staff, assignment=agreed, reason="x")


def test_removed_candidate_can_be_put_back(staff, assignment, schedule):
    services.assignment_remove(actor=staff, assignment=assignment, reason="Salah jadwal")
    again = services.schedule_add_candidate(actor=staff, schedule=schedule, application=assignment.application)
    assert (again.pk, again.status) == (assignment.pk, A.AWAITING_ASSESSOR)


def test_cancel_a_schedule_takes_its_candidates_off(staff, schedule, assigned):
    with pytest.raises(InvalidState):
        services.schedule_cancel(actor=staff, schedule=schedule, reason="")
    cancelled = services.schedule_cancel(actor=staff, schedule=schedule, reason="TUK banjir")
    assert cancelled.status == Schedule.Status.CANCELLED
    assert Assignment.objects.get(pk=assigned.pk).status == A.REMOVED
    assert Application.objects.get(pk=assigned.application_id).status == Application.Status.ACCEPTED


def test_staff_cannot_choose_the_assessor_of_their_own_assessment(assignment, candidate, assessor):
    candidate.roles.create(role=Role.STAFF)
    candidate = type(candidate).objects.get(pk=candidate.pk)
    with pytest.raises(NotAllowed):
        services.assignment_assign_assessor(actor=candidate, assignment=assignment, assessor=assessor)


def test_demo_seed_registers_the_demo_assessor_and_a_verified_tuk(tmi):
    from django.core.management import call_command

    from assessments.models import Assessor
    from lsp.demo import demo_accounts_create

    demo_accounts_create()
    call_command("seed_demo_assessments")
    call_command("seed_demo_assessments")
    assessor = Assessor.objects.get(user__email="asesor@demo.lsp.id")
    assert assessor.can_assess(tmi)
    assert Tuk.objects.get(name="TUK Demo Politeknik").is_verified_on(TODAY())
