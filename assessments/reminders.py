"""Reminders of the assessments app, run daily by ``lsp.tasks.send_due_reminders``.

Staff are reminded once, 30 days ahead, that an assessor's registration (9.2.2) or a TUK's
verification (9.3.2) lapses, keyed by (assessor or TUK, valid-until date, staff member): a
renewal with a new date is reminded again when it in turn comes near.

The day before the test, the candidate and the assessor are reminded once. A rule picks
every test that is tomorrow *or already due but still today* and not yet reminded, so a
day the worker missed is caught up; the notification key (assignment, role, test date)
makes a second run send nothing, and a moved test date is reminded again.
"""

import datetime

from django.db import transaction
from django.db.models import DateField, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from lsp.models import Notification
from lsp.notifications import notify
from lsp.reminders import remind, reminder_rule

from .models import AssessmentPlan, Assessor, Assignment, Schedule, Tuk
from .services._common import portal_link, staff_recipients

# How long before an assessor's registration or a TUK's verification lapses staff are reminded.
REGISTRY_LAPSE_NOTICE_DAYS = 30


def _key(assignment_id, role, day):
    return f"test-tomorrow:{assignment_id}:{role}:{day.isoformat()}"


def assignments_due_for_test_reminder(today):
    """Open assignments whose test date (the agreed plan's, else the schedule's) is today or tomorrow."""
    tomorrow = today + datetime.timedelta(days=1)
    plan_date = AssessmentPlan.objects.filter(assignment=OuterRef("pk")).values("date")[:1]
    return (
        Assignment.objects.filter(status__in=Assignment.OPEN_STATUSES, schedule__status=Schedule.Status.SCHEDULED)
        .annotate(test_day=Coalesce(plan_date, "schedule__date", output_field=DateField()))
        .filter(test_day__gte=today, test_day__lte=tomorrow)
        .order_by("test_day", "id")
    )


@reminder_rule
def remind_test_tomorrow():
    """Remind the candidate and the assessor the day before the test; each (assignment, role, date) once."""
    sent = 0
    for assignment_id, day in assignments_due_for_test_reminder(timezone.localdate()).values_list("pk", "test_day"):
        for role in ("candidate", "assessor"):
            key = _key(assignment_id, role, day)
            if Notification.objects.filter(key=key).exists():
                continue
            sent += _remind(assignment_id, role, day, key)
    return sent


def _remind(assignment_id, role, day, key):
    """Re-check the assignment under a lock, then send; the unique key makes a race send once."""
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().filter(pk=assignment_id).first()
        if assignment is None or assignment.status not in Assignment.OPEN_STATUSES or assignment.test_date != day:
            return 0
        if role == "assessor":
            if assignment.assessor is None:
                return 0
            user, link = assignment.assessor.user, portal_link("assessments:workspace", assignment.pk)
        else:
            user, link = assignment.application.applicant, portal_link("assessments:candidate-detail", assignment.pk)
        plan = assignment.plan_or_none()
        notify(
            user=user,
            template="emails/assessment_test_tomorrow.txt",
            context={
                "role": role,
                "assignment": assignment,
                "schedule": assignment.schedule,
                "day": day,
                "time": plan.start_time if plan else assignment.schedule.start_time,
                "tuk": plan.tuk if plan else assignment.schedule.tuk,
                "link": link,
            },
            key=key,
        )
    return 1


@reminder_rule
def remind_assessor_registrations_lapsing():
    """An active assessor whose registration (No. Reg. MET) ends within 30 days: once per date, to staff."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REGISTRY_LAPSE_NOTICE_DAYS)
    sent = 0
    lapsing = Assessor.objects.filter(
        is_active=True, registration_valid_until__gte=today, registration_valid_until__lte=horizon
    ).select_related("user")
    for assessor in lapsing:
        for user in staff_recipients():
            sent += remind(
                user=user,
                key=f"assessor-registration-lapsing:{assessor.pk}:{assessor.registration_valid_until.isoformat()}:{user.pk}",
                template="emails/assessment_reminder_registry_lapsing.txt",
                context={"kind": "assessor", "assessor": assessor, "valid_until": assessor.registration_valid_until,
                         "link": portal_link("assessments:assessor-list")},
            )
    return sent


@reminder_rule
def remind_tuk_verifications_lapsing():
    """An active TUK whose latest verification ends within 30 days (and no later one follows): once per date,
    to staff."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REGISTRY_LAPSE_NOTICE_DAYS)
    sent = 0
    lapsing = (
        Tuk.objects.filter(is_active=True)
        .annotate(valid_until=Max("verifications__valid_until", filter=Q(verifications__verified_on__lte=horizon)))
        .filter(valid_until__gte=today, valid_until__lte=horizon)
    )
    for tuk in lapsing:
        for user in staff_recipients():
            sent += remind(
                user=user,
                key=f"tuk-verification-lapsing:{tuk.pk}:{tuk.valid_until.isoformat()}:{user.pk}",
                template="emails/assessment_reminder_registry_lapsing.txt",
                context={"kind": "tuk", "tuk": tuk, "valid_until": tuk.valid_until,
                         "link": portal_link("assessments:tuk-detail", tuk.pk)},
            )
    return sent
