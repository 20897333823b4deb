"""Reads of the assessment stage, scoped to the person asking.

An assessor sees only the candidates assigned to them, a candidate only their own
assessments; anything else is not found (404), so nothing leaks.
"""

from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applicants.selectors import applications_ready_for_assessment

from .models import AssessmentRecord, Assessor, Assignment, ConflictDeclaration, Schedule, Tuk
from .services._common import is_staff

A = Assignment.Status


# --- registries -------------------------------------------------------------------------------


def assessors_eligible(*, scheme, on=None):
    """Assessors who may be assigned to a candidate of ``scheme`` on that day (9.2.2)."""
    day = on or timezone.localdate()
    return (
        Assessor.objects.filter(is_active=True, registration_valid_until__gte=day, schemes=scheme)
        .select_related("user")
        .distinct()
    )


def assessors_for_assignment(assignment):
    """Eligible assessors for this candidate: competent, registered on the test day, not the candidate
    themself, and without a declared conflict of interest with them."""
    conflicted = ConflictDeclaration.objects.filter(
        application=assignment.application, has_conflict=True
    ).values("assessor")
    return (
        assessors_eligible(scheme=assignment.schedule.scheme, on=assignment.schedule.date)
        .exclude(user=assignment.application.applicant)
        .exclude(pk__in=conflicted)
    )


def tuks_verified(*, on=None):
    """TUKs that may host a test on that day (9.3.2)."""
    day = on or timezone.localdate()
    return Tuk.objects.filter(
        is_active=True, verifications__verified_on__lte=day, verifications__valid_until__gte=day
    ).distinct()


def tuk_list():
    today = timezone.localdate()
    return Tuk.objects.annotate(
        verified_until=Max("verifications__valid_until", filter=Q(verifications__verified_on__lte=today))
    ).order_by("name")


# --- staff ----------------------------------------------------------------------------------


def schedules_for_staff(*, upcoming_only=False):
    queryset = Schedule.objects.select_related("scheme", "tuk").annotate(
        candidates=Count("assignments", filter=Q(assignments__status__in=Assignment.OPEN_STATUSES), distinct=True),
        submitted=Count("assignments", filter=Q(assignments__record__status="submitted"), distinct=True),
    )
    if upcoming_only:
        queryset = queryset.filter(date__gte=timezone.localdate())
    return queryset.order_by("-date", "-start_time", "-id")


def schedule_assignments(schedule):
    return (
        schedule.assignments.select_related("application__applicant", "assessor__user")
        .prefetch_related("declarations__assessor__user")
        .order_by("status", "added_at", "id")
    )


def candidates_addable(schedule):
    """Accepted, paid (or sponsored) applications of the session's scheme not yet on any schedule."""
    return applications_ready_for_assessment(scheme=schedule.scheme).exclude(
        assessment_assignments__status__in=Assignment.OPEN_STATUSES
    )


def record_for_viewer(user, pk):
    """A record for staff, the record's assessor, or the candidate it is about; anyone else: 404."""
    record = get_object_or_404(
        AssessmentRecord.objects.select_related(
            "assignment__schedule__tuk", "assignment__schedule__scheme", "application__applicant", "assessor__user"
        ),
        pk=pk,
    )
    if is_staff(user) or record.application.applicant_id == user.pk:
        return record
    if record.assessor.user_id == user.pk and record.assignment.status == A.ACTIVE:
        return record
    raise Http404


def schedule_for_report_viewer(user, pk):
    """FR.AK.05 of a session: staff, or an assessor with an active candidate on it."""
    schedule = get_object_or_404(Schedule.objects.select_related("scheme", "tuk"), pk=pk)
    if is_staff(user):
        return schedule
    if schedule.assignments.filter(assessor__user=user, status=A.ACTIVE).exists():
        return schedule
    raise Http404


# --- assessor ---------------------------------------------------------------------------------


def assignments_for_assessor(user):
    """The candidates assigned to this assessor (awaiting their declaration, or active)."""
    return (
        Assignment.objects.filter(assessor__user=user, status__in=[A.AWAITING_DECLARATION, A.ACTIVE])
        .select_related("schedule__scheme", "schedule__tuk", "application__applicant", "assessor__user")
        .order_by("schedule__date", "schedule__start_time", "id")
    )


def assignment_for_assessor(user, pk):
    return get_object_or_404(assignments_for_assessor(user), pk=pk)


# --- candidate --------------------------------------------------------------------------------


def assignments_for_candidate(user):
    """The candidate's own assessments, newest session first (removed ones included, for the record)."""
    return (
        Assignment.objects.filter(application__applicant=user)
        .select_related("schedule__scheme", "schedule__tuk", "application", "assessor__user")
        .order_by("-schedule__date", "-id")
    )


def assignment_for_candidate(user, pk):
    return get_object_or_404(assignments_for_candidate(user), pk=pk)


# --- for the decision stage (9.4) -------------------------------------------------------------


def records_submitted(*, scheme=None):
    """Submitted recommendations waiting for (or read by) the technical team's decision (9.4)."""
    queryset = AssessmentRecord.objects.filter(status=AssessmentRecord.Status.SUBMITTED).select_related(
        "application__applicant", "application__scheme", "assessor__user", "assignment__schedule"
    )
    if scheme is not None:
        queryset = queryset.filter(application__scheme=scheme)
    return queryset.order_by("submitted_at", "id")


def record_of_application(application):
    """The active (draft or submitted) record of an application, or None."""
    return (
        AssessmentRecord.objects.filter(application=application, status__in=AssessmentRecord.ACTIVE_STATUSES)
        .select_related("assessor__user")
        .first()
    )


def assessor_users_of_application(application):
    """Every user who was assigned as assessor of this application (for impartiality checks, 9.4.2, 9.9.4)."""
    from lsp.models import User

    return User.objects.filter(
        Q(assessor_profile__assignments__application=application)
        | Q(assessor_profile__records__application=application)
        | Q(assessor_profile__declarations__application=application)
    ).distinct()
