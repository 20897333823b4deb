"""The day before the test the candidate and the assessor are reminded, exactly once (Celery beat)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from assessments import services
from assessments.reminders import remind_test_tomorrow
from lsp.models import Notification
from lsp.tasks import send_due_reminders

from .conftest import TODAY, plan_units

pytestmark = pytest.mark.django_db
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day, hour=6):
    """A moment of a local (Asia/Jakarta) day, as the daily beat would run it."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=JAKARTA)


@pytest.fixture
def test_in_three_days(staff, schedule, assigned, assessor, tmi, tuk):
    """A candidate whose session is three days from now, assessor assigned."""
    day = TODAY() + datetime.timedelta(days=3)
    schedule.date = day
    schedule.save(update_fields=["date"])
    return assigned, day


def reminders():
    return Notification.objects.filter(key__startswith="test-tomorrow:")


def test_reminder_sent_once_when_the_job_runs_twice(
    test_in_three_days, candidate, assessor, django_capture_on_commit_callbacks
):
    assignment, day = test_in_three_days
    mail.outbox.clear()
    with time_machine.travel(at(day - datetime.timedelta(days=1)), tick=False):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                send_due_reminders()
    assert sorted(reminders().values_list("user", flat=True)) == sorted([candidate.pk, assessor.user.pk])
    assert set(reminders().values_list("key", flat=True)) == {
        f"test-tomorrow:{assignment.pk}:candidate:{day.isoformat()}",
        f"test-tomorrow:{assignment.pk}:assessor:{day.isoformat()}",
    }
    assert len(mail.outbox) == 2
    assert {message.to[0] for message in mail.outbox} == {candidate.email, assessor.user.email}


def test_nothing_two_days_before_or_after_the_test(test_in_three_days):
    _assignment, day = test_in_three_days
    with time_machine.travel(at(day - datetime.timedelta(days=2)), tick=False):
        assert remind_test_tomorrow() == 0
    with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
        assert remind_test_tomorrow() == 0
    assert not reminders().exists()


def test_a_missed_day_is_caught_up_on_the_test_day(test_in_three_days):
    _assignment, day = test_in_three_days
    # The worker was down the day before; the morning run of the test day still reminds, once.
    with time_machine.travel(at(day, hour=5), tick=False):
        assert remind_test_tomorrow() == 2
        assert remind_test_tomorrow() == 0
    assert reminders().count() == 2


def test_a_reminder_the_day_before_is_not_repeated_on_the_day(test_in_three_days):
    _assignment, day = test_in_three_days
    with time_machine.travel(at(day - datetime.timedelta(days=1)), tick=False):
        assert remind_test_tomorrow() == 2
    with time_machine.travel(at(day), tick=False):
        assert remind_test_tomorrow() == 0


def test_the_agreed_plan_date_counts_and_a_moved_date_is_reminded_again(test_in_three_days, assessor, candidate, tuk):
    assignment, day = test_in_three_days
    with time_machine.travel(at(day - datetime.timedelta(days=1)), tick=False):
        remind_test_tomorrow()
    assert reminders().count() == 2
    # The candidate and assessor agree on a later date: the new date is reminded too.
    later = day + datetime.timedelta(days=2)
    services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)
    services.evidence_review_record(
        actor=assessor.user, assignment=assignment,
        units={code: (True, "") for code in plan_units(assignment.application)}, outcome="proceed", reason="ok",
    )
    services.plan_save(
        actor=assessor.user, assignment=assignment, date=later, start_time=datetime.time(10), tuk=tuk,
        units=plan_units(assignment.application),
    )
    with time_machine.travel(at(day), tick=False):
        assert remind_test_tomorrow() == 0
    with time_machine.travel(at(later - datetime.timedelta(days=1)), tick=False):
        assert remind_test_tomorrow() == 2
    assert reminders().filter(key__endswith=later.isoformat()).count() == 2


def test_no_reminder_for_a_removed_candidate_or_a_cancelled_schedule(test_in_three_days, staff):
    assignment, day = test_in_three_days
    services.schedule_cancel(actor=staff, schedule=assignment.schedule, reason="Batal")
    with time_machine.travel(at(day - datetime.timedelta(days=1)), tick=False):
        assert remind_test_tomorrow() == 0


def test_candidate_without_an_assessor_yet_is_still_reminded(staff, schedule, assignment, candidate):
    day = TODAY() + datetime.timedelta(days=1)
    schedule.date = day
    schedule.save(update_fields=["date"])
    with time_machine.travel(at(TODAY()), tick=False):
        assert remind_test_tomorrow() == 1
    assert reminders().get().user == candidate
