"""Schedules and the assignment of assessors to candidates, free of conflicts (9.2.2, 9.3.2).

Steps of one candidate on a schedule:
``schedule_add_candidate`` → awaiting_assessor → ``assignment_assign_assessor`` →
awaiting_declaration → ``assignment_declare`` → active (no conflict) or back to
awaiting_assessor (conflict: staff choose someone else). ``assignment_remove`` takes a
candidate off the schedule (opposite of ``schedule_add_candidate``).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.notifications import notify
from lsp.numbering import counter_next

from ..models import AssessmentRecord, Assignment, ConflictDeclaration, ConflictKind, Schedule
from ._common import (
    clean_text,
    lock_assignment,
    portal_link,
    require_assigned_assessor,
    require_ready_application,
    require_staff,
    staff_recipients,
)

A = Assignment.Status


def _assessor_problem(assessor, scheme, day):
    """Why ``assessor`` may not assess ``scheme`` on ``day`` (9.2.2), or None."""
    if not assessor.is_active:
        return _("%(name)s is not an active assessor.") % {"name": assessor.user}
    if not assessor.registration_valid_on(day):
        return _("The registration of %(name)s (%(met)s) is not valid on %(day)s.") % {
            "name": assessor.user,
            "met": assessor.met_number,
            "day": day.strftime("%d-%m-%Y"),
        }
    if not assessor.schemes.filter(pk=scheme.pk).exists():
        return _("%(name)s is not competent to assess this scheme.") % {"name": assessor.user}
    return None


def _excluding_appeal(assessor, application):
    """The number of an appeal that excluded ``assessor`` from assessing this candidate again, or None.

    An appeal that orders a re-assessment lists everyone who took part in the appealed matter
    (``Appeal.excluded_assessors``: assigned to the candidate, recorded their test or declared about them,
    and the chair and members of the technical team meeting that decided);
    the re-assessment needs someone else (9.9.4), whichever page staff assign from.
    """
    from certificates.models import Appeal  # the appeal stage comes after the assessment

    ordered = Appeal.objects.filter(
        application_id=application.pk, status=Appeal.Status.DECIDED, outcome=Appeal.Outcome.REASSESSMENT
    ).order_by("decided_at", "pk")
    for number, excluded in ordered.values_list("number", "excluded_assessors"):
        if assessor.user_id in set(excluded):
            return number
    return None


@transaction.atomic
def schedule_create(*, actor, scheme, tuk, date, start_time, capacity, end_time=None, assessors=(), notes=""):
    """Plan a competency test session at a verified TUK (9.3.2) with competent assessors (9.2.2)."""
    require_staff(actor)
    if date < timezone.localdate():
        raise InvalidState(_("A test cannot be scheduled in the past."))
    if not scheme.is_active:
        raise InvalidState(_("Tests are scheduled only for active schemes."))
    if not tuk.is_verified_on(date):
        raise InvalidState(_("This TUK is not verified for that date, so it cannot host the test (9.3.2)."))
    if capacity is None or capacity < 1:
        raise InvalidState(_("The capacity must be at least one candidate."))
    if end_time is not None and end_time <= start_time:
        raise InvalidState(_("The test must end after it starts."))
    for assessor in assessors:
        problem = _assessor_problem(assessor, scheme, date)
        if problem:
            raise InvalidState(problem)
    number = f"JUK/{date.year}/{counter_next(f'schedule-{date.year}'):04d}"
    schedule = Schedule.objects.create(
        number=number,
        scheme=scheme,
        tuk=tuk,
        date=date,
        start_time=start_time,
        end_time=end_time,
        capacity=capacity,
        notes=clean_text(notes),
        created_by=actor,
    )
    schedule.assessors.set(assessors)
    audit_record(
        actor=actor,
        action="schedule.create",
        obj=schedule,
        to_state=Schedule.Status.SCHEDULED,
        data={"tuk": tuk.pk, "date": date.isoformat(), "assessors": [a.pk for a in assessors]},
    )
    return schedule


def schedule_cancel(*, actor, schedule, reason):
    """Cancel a session: its candidates are taken off it. Refused once a record was submitted."""
    reason = clean_text(reason)
    with transaction.atomic():
        require_staff(actor)
        schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
        if schedule.status == Schedule.Status.CANCELLED:
            return schedule
        if not reason:
            raise InvalidState(_("Give the reason for cancelling."))
        if AssessmentRecord.objects.filter(
            assignment__schedule=schedule, status=AssessmentRecord.Status.SUBMITTED
        ).exists():
            raise InvalidState(_("Results of this session were already submitted; it cannot be cancelled."))
        for assignment in schedule.assignments.filter(status__in=Assignment.OPEN_STATUSES):
            _remove(actor, lock_assignment(assignment), reason)
        schedule.status, schedule.cancel_reason = Schedule.Status.CANCELLED, reason
        schedule.save(update_fields=["status", "cancel_reason"])
        audit_record(
            actor=actor,
            action="schedule.cancel",
            obj=schedule,
            from_state=Schedule.Status.SCHEDULED,
            to_state=Schedule.Status.CANCELLED,
            reason=reason,
        )
    return schedule


def schedule_add_candidate(*, actor, schedule, application):
    """Put an accepted, paid (or sponsored) candidate on a session. Opposite: ``assignment_remove``."""
    with transaction.atomic():
        require_staff(actor)
        schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
        application = Application.objects.select_for_update().get(pk=application.pk)
        existing = Assignment.objects.select_for_update().filter(schedule=schedule, application=application).first()
        if existing is not None and existing.status in Assignment.OPEN_STATUSES:
            return existing
        if not schedule.is_open:
            raise InvalidState(_("This schedule is cancelled."))
        if schedule.date < timezone.localdate():
            raise InvalidState(_("This session has already taken place."))
        if application.applicant_id == actor.pk:
            raise NotAllowed(_("You cannot schedule your own assessment."))
        require_ready_application(application)
        if application.scheme_id != schedule.scheme_id:
            raise InvalidState(_("The candidate applied for another scheme than this session's."))
        other = (
            Assignment.objects.filter(application=application, status__in=Assignment.OPEN_STATUSES)
            .select_related("schedule")
            .first()
        )
        if other is not None:
            raise InvalidState(
                _("This candidate is already on schedule %(number)s.") % {"number": other.schedule.number}
            )
        taken = schedule.assignments.filter(status__in=Assignment.OPEN_STATUSES).count()
        if taken >= schedule.capacity:
            raise InvalidState(_("This session is full."))
        now = timezone.now()
        try:
            with transaction.atomic():
                if existing is not None:
                    # Taken off earlier and put back: the same row, so history stays in one place.
                    previous = existing.status
                    existing.status, existing.assessor = A.AWAITING_ASSESSOR, None
                    existing.added_at, existing.added_by = now, actor
                    existing.assigned_at = existing.assigned_by = existing.declared_at = None
                    existing.removed_at, existing.removed_reason = None, ""
                    existing.save()
                    assignment = existing
                else:
                    previous = ""
                    assignment = Assignment.objects.create(
                        schedule=schedule, application=application, added_by=actor, added_at=now
                    )
        except IntegrityError as error:  # the partial unique constraint, if two staff act at once
            raise InvalidState(_("This candidate is already on a schedule.")) from error
        audit_record(
            actor=actor,
            action="assignment.add",
            obj=assignment,
            from_state=previous,
            to_state=A.AWAITING_ASSESSOR,
            data={"schedule": schedule.number, "application": application.pk},
        )
        notify(
            user=application.applicant,
            template="emails/assessment_scheduled.txt",
            context={
                "application": application,
                "schedule": schedule,
                "link": portal_link("assessments:candidate-detail", assignment.pk),
            },
        )
    return assignment


def assignment_assign_assessor(*, actor, assignment, assessor):
    """Staff choose the assessor of one candidate (9.2.2); the assessor is emailed to declare conflicts.

    Refused for an assessor who declared a conflict with the candidate, and for one an appeal excluded from
    re-assessing them (9.9.4).
    """
    with transaction.atomic():
        require_staff(actor)
        assignment = lock_assignment(assignment)
        schedule, application = assignment.schedule, assignment.application
        if assignment.status in (A.AWAITING_DECLARATION, A.ACTIVE) and assignment.assessor_id == assessor.pk:
            return assignment
        if assignment.status == A.ACTIVE:
            raise InvalidState(
                _("The assessor has already declared no conflict and is working on this candidate's file.")
            )
        if assignment.status == A.REMOVED:
            raise InvalidState(_("This candidate was removed from the schedule."))
        if not schedule.is_open:
            raise InvalidState(_("This schedule is cancelled."))
        if assessor.user_id == application.applicant_id:
            raise NotAllowed(_("Nobody may assess their own competency."))
        if application.applicant_id == actor.pk:
            raise NotAllowed(_("You cannot choose the assessor of your own assessment."))
        problem = _assessor_problem(assessor, schedule.scheme, schedule.date)
        if problem:
            raise InvalidState(problem)
        if ConflictDeclaration.objects.filter(application=application, assessor=assessor, has_conflict=True).exists():
            raise InvalidState(
                _("%(name)s declared a conflict of interest with this candidate; choose another assessor.")
                % {"name": assessor.user}
            )
        appeal_number = _excluding_appeal(assessor, application)
        if appeal_number:
            raise InvalidState(
                _(
                    "%(name)s took part in the assessment or the decision appealed in %(appeal)s; the re-assessment "
                    "the appeal ordered needs a different assessor (9.9.4). Choose another assessor."
                )
                % {"name": assessor.user, "appeal": appeal_number}
            )
        previous, previous_assessor = assignment.status, assignment.assessor_id
        assignment.assessor, assignment.status = assessor, A.AWAITING_DECLARATION
        assignment.assigned_at, assignment.assigned_by = timezone.now(), actor
        assignment.save(update_fields=["assessor", "status", "assigned_at", "assigned_by"])
        schedule.assessors.add(assessor)
        audit_record(
            actor=actor,
            action="assignment.assign",
            obj=assignment,
            from_state=previous,
            to_state=A.AWAITING_DECLARATION,
            data={"assessor": assessor.pk, "previous_assessor": previous_assessor},
        )
        notify(
            user=assessor.user,
            template="emails/assessment_assigned.txt",
            context={
                "assessor": assessor,
                "schedule": schedule,
                "link": portal_link("assessments:workspace", assignment.pk),
            },
        )
    return assignment


def assignment_declare(*, actor, assignment, has_conflict, kinds=(), note=""):
    """The assessor declares, before seeing the file, whether they have a conflict of interest.

    No conflict: the assignment becomes active and the file opens. A conflict (trained the
    candidate, same employer, family, other) blocks the assignment: it returns to staff, who
    must choose someone else, and this assessor is refused for this candidate from then on.
    """
    note = clean_text(note)
    kinds = [kind for kind in ConflictKind.values if kind in set(kinds or ())]
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_assigned_assessor(actor, assignment)
        if assignment.status == A.ACTIVE and not has_conflict:
            return assignment
        if assignment.status != A.AWAITING_DECLARATION:
            raise InvalidState(_("You have already declared no conflict; tell the LSP if that has changed."))
        assessor = assignment.assessor
        if has_conflict and not kinds:
            raise InvalidState(_("Say what the conflict of interest is."))
        if has_conflict and ConflictKind.OTHER in kinds and not note:
            raise InvalidState(_("Explain the other conflict of interest."))
        ConflictDeclaration.objects.create(
            assignment=assignment,
            application=assignment.application,
            assessor=assessor,
            has_conflict=bool(has_conflict),
            kinds=kinds if has_conflict else [],
            note=note,
        )
        if has_conflict:
            assignment.assessor, assignment.status = None, A.AWAITING_ASSESSOR
            assignment.assigned_at = assignment.assigned_by = None
            assignment.save(update_fields=["assessor", "status", "assigned_at", "assigned_by"])
            audit_record(
                actor=actor,
                action="assignment.declare_conflict",
                obj=assignment,
                from_state=A.AWAITING_DECLARATION,
                to_state=A.AWAITING_ASSESSOR,
                reason=note,
                data={"assessor": assessor.pk, "kinds": kinds},
            )
            for user in staff_recipients():
                notify(
                    user=user,
                    template="emails/assessment_conflict_declared.txt",
                    context={
                        "assessor": assessor,
                        "assignment": assignment,
                        "schedule": assignment.schedule,
                        "kinds": [ConflictKind(kind).label for kind in kinds],
                        "link": portal_link("assessments:schedule-detail", assignment.schedule_id),
                    },
                )
        else:
            assignment.status, assignment.declared_at = A.ACTIVE, timezone.now()
            assignment.save(update_fields=["status", "declared_at"])
            audit_record(
                actor=actor,
                action="assignment.declare_no_conflict",
                obj=assignment,
                from_state=A.AWAITING_DECLARATION,
                to_state=A.ACTIVE,
                data={"assessor": assessor.pk},
            )
    return assignment


def _remove(actor, assignment, reason):
    previous = assignment.status
    assignment.status, assignment.removed_at, assignment.removed_reason = A.REMOVED, timezone.now(), reason
    assignment.save(update_fields=["status", "removed_at", "removed_reason"])
    AssessmentRecord.objects.filter(assignment=assignment, status=AssessmentRecord.Status.DRAFT).update(
        status=AssessmentRecord.Status.WITHDRAWN
    )
    audit_record(
        actor=actor, action="assignment.remove", obj=assignment, from_state=previous, to_state=A.REMOVED, reason=reason
    )
    notify(
        user=assignment.application.applicant,
        template="emails/assessment_removed.txt",
        context={"schedule": assignment.schedule, "reason": reason},
    )


def assignment_remove(*, actor, assignment, reason):
    """Take a candidate off a session (e.g. the assessment cannot proceed, 9.2.6). Opposite: ``schedule_add_candidate``."""
    reason = clean_text(reason)
    with transaction.atomic():
        require_staff(actor)
        assignment = lock_assignment(assignment)
        if assignment.status == A.REMOVED:
            return assignment
        if not reason:
            raise InvalidState(_("Give the reason for taking the candidate off the schedule."))
        if AssessmentRecord.objects.filter(assignment=assignment, status=AssessmentRecord.Status.SUBMITTED).exists():
            raise InvalidState(_("The results of this candidate were already submitted to the LSP."))
        _remove(actor, assignment, reason)
    return assignment
