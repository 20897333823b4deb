"""Reminders of the assessments app, run daily by ``lsp.tasks.send_due_reminders``.

The day before the test, the candidate and the assessor are reminded once. A rule picks
every test that is tomorrow *or already due but still today* and not yet reminded, so a
day the worker missed is caught up; the notification key (assignment, role, test date)
makes a second run send nothing, and a moved test date is reminded again.
"""

import datetime

from django.db import transaction
from django.db.models import DateField, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from lsp.models import Notification
from lsp.notifications import notify
from lsp.reminders import reminder_rule

from .models import AssessmentPlan, Assignment, Schedule
from .services._common import portal_link


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
