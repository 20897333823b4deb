"""Two people acting at once on the same thing produce one outcome (row locks; PostgreSQL only)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import Assignment
from lsp.errors import DomainError
from lsp.models import Role

from .conftest import TODAY, ready_application

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]


def run_at_once(*calls):
    """Run each call in its own thread and connection, released together; return results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except DomainError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_one_candidate_added_to_two_schedules_at_once_lands_on_one(staff, schedule, application, tmi, tuk, make_user):
    other_staff = make_user(Role.STAFF)
    second = services.schedule_create(
        actor=staff, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(13), capacity=5
    )
    outcomes = run_at_once(
        lambda: services.schedule_add_candidate(actor=staff, schedule=schedule, application=application),
        lambda: services.schedule_add_candidate(actor=other_staff, schedule=second, application=application),
    )
    assert sum(isinstance(outcome, Assignment) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, DomainError) for outcome in outcomes) == 1
    assert Assignment.objects.filter(application=application).count() == 1


def test_last_seat_taken_once(staff, tmi, tuk, make_user, organisation):
    small = services.schedule_create(actor=staff, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(8), capacity=1)
    first = ready_application(make_user(Role.APPLICANT, full_name="Satu"), staff, tmi)
    second = ready_application(make_user(Role.APPLICANT, full_name="Dua"), staff, tmi)
    outcomes = run_at_once(
        lambda: services.schedule_add_candidate(actor=staff, schedule=small, application=first),
        lambda: services.schedule_add_candidate(actor=staff, schedule=small, application=second),
    )
    assert sum(isinstance(outcome, Assignment) for outcome in outcomes) == 1
    assert small.assignments.count() == 1


def test_record_submitted_twice_at_once_is_submitted_once(agreed, assessor):
    from .conftest import record_all_units

    record_all_units(agreed, assessor.user)
    outcomes = run_at_once(
        lambda: services.record_submit(actor=assessor.user, assignment=agreed),
        lambda: services.record_submit(actor=assessor.user, assignment=agreed),
    )
    assert all(not isinstance(outcome, DomainError) for outcome in outcomes)
    from lsp.models import AuditEvent

    assert AuditEvent.objects.filter(action="record.submit").count() == 1
