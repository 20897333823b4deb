"""Two people acting at once produce one outcome (row locks; PostgreSQL only).

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/lsp_ci; on SQLite these are skipped.
Each racer is a real thread with its own database connection (closed when it ends), released
together by a barrier. Besides the small cases, the same races at scale: 200 rounds of two members
deciding one candidate, 500 certificates issued from 8 threads, a PDF and an email task run three
times at once.
"""

import datetime
import queue
import threading
import uuid
from functools import partial

import pytest
from celery.result import allow_join_result
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from applicants.models import Application
from assessments import services as assessment_services
from assessments.models import AssessmentRecord, Assignment
from certificates import services
from certificates.models import Certificate, Decision
from certificates.tasks import build_certificate_pdf
from lsp.errors import DomainError
from lsp.models import AuditEvent, Counter, Notification, Role, User, UserRole
from lsp.tasks import deliver_notification
from lsp.tests.factories import UserFactory

from .helpers import close_and_letter, convene, decide, submitted_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks): set DATABASE_URL=postgres://…")


def run_at_once(functions, timeout=60):
    """Run each function in its own thread, released together; returns results or the domain errors raised.

    Anything else raised in a thread (a crash, not a refusal the user is shown) fails the test, as does a
    thread still running after ``timeout`` seconds.
    """
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)
    crashes = []

    def target(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except DomainError as error:
            results[index] = error
        except Exception as error:  # reported below, in the test's own thread
            crashes.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=target, args=(i, f)) for i, f in enumerate(functions)]
    # An eager task marks "no result may be awaited here" in a process-wide flag while it runs and puts back what
    # it found; tasks running in several threads at once can leave it set. It is put back as it was before.
    with allow_join_result():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
    assert not [thread for thread in threads if thread.is_alive()], "a racer is still running"
    assert not crashes, crashes
    return results


def copies_of_submitted_record(template, count, *, staff, tuk):
    """``count`` more candidates with a submitted "Kompeten" recommendation like ``template``, written in bulk.

    ``template`` went through every service (``helpers.submitted_record``: accepted and paid, assessor assigned
    and declared, plan agreed, results recorded, record submitted); hundreds of candidates made that way would
    take minutes. The copies hold what deciding and issuing read: a new applicant, the application as accepted
    (with its scheme snapshot), an active assignment with the same assessor on a session of their own, and the
    submitted record with its recommendation.
    """
    application = Application.objects.get(pk=template.application_id)
    assignment = Assignment.objects.get(pk=template.assignment_id)
    template = AssessmentRecord.objects.get(pk=template.pk)
    session = assessment_services.schedule_create(
        actor=staff, scheme=application.scheme, tuk=tuk, date=timezone.localdate(), start_time=datetime.time(13),
        capacity=count, assessors=[assignment.assessor],
    )

    def fields(instance, *, leave_out):
        return {
            field.attname: getattr(instance, field.attname)
            for field in type(instance)._meta.concrete_fields
            if not field.primary_key and field.name not in leave_out
        }

    users = User.objects.bulk_create(UserFactory.build_batch(count))
    UserRole.objects.bulk_create(UserRole(user=user, role=Role.APPLICANT) for user in users)
    # The application's own PDFs (APL-01, APL-02) and the record's (FR.AK.02) are not copied: they name one candidate.
    application_fields = fields(
        application,
        leave_out={"uuid", "applicant", "reference", "full_name", "email", "apl01_pdf", "apl02_pdf", "pdf_built_at"},
    )
    applications = Application.objects.bulk_create(
        Application(
            **application_fields, uuid=uuid.uuid4(), applicant=user, full_name=user.full_name, email=user.email,
            reference=f"{application.reference}-{n:04d}" if application.reference else "",
        )
        for n, user in enumerate(users, 1)
    )
    assignment_fields = fields(assignment, leave_out={"schedule", "application"})
    assignments = Assignment.objects.bulk_create(
        Assignment(**assignment_fields, schedule=session, application=copy) for copy in applications
    )
    record_fields = fields(template, leave_out={"uuid", "assignment", "application", "pdf", "pdf_built_at"})
    return AssessmentRecord.objects.bulk_create(
        AssessmentRecord(**record_fields, uuid=uuid.uuid4(), assignment=copy, application_id=copy.application_id)
        for copy in assignments
    )


def test_two_members_deciding_the_same_candidate_at_once_give_one_decision_9_4_4(staff, chair, member, record):
    meeting = convene(staff, chair, [record], members=[member])
    results = run_at_once(
        [lambda: decide(member, meeting, record), lambda: decide(chair, meeting, record)]
    )
    assert Decision.objects.filter(record=record).count() == 1
    decision = Decision.objects.get(record=record)
    assert all(result == decision for result in results)


def test_contradicting_decisions_at_once_give_one_and_refuse_the_other(staff, chair, member, record):
    meeting = convene(staff, chair, [record], members=[member])
    results = run_at_once(
        [
            lambda: decide(member, meeting, record),
            lambda: decide(chair, meeting, record, Decision.Outcome.NOT_GRANTED, notes="Bukti diragukan"),
        ]
    )
    assert Decision.objects.filter(record=record).count() == 1
    assert sum(isinstance(result, DomainError) for result in results) == 1


def test_certificates_issued_from_several_threads_get_unique_gap_free_numbers_9_4_6(
    staff, chair, member, make_user, tmi, assessor, schedule, tuk, record, series
):
    records = [record] + [
        submitted_record(
            candidate=make_user(Role.APPLICANT, full_name=f"Peserta {i}", email=f"peserta{i}@example.test"),
            staff=staff, scheme=tmi, assessor=assessor, schedule=schedule, tuk=tuk,
        )
        for i in range(3)
    ]
    meeting = convene(staff, chair, records, members=[member])
    decisions = [decide(member, meeting, r) for r in records]
    close_and_letter(staff, meeting)
    # Every decision issued twice at once: four certificates, numbered 1–4 with no gap and no repeat.
    results = run_at_once([lambda d=d: services.certificate_issue(actor=staff, decision=d) for d in decisions * 2])
    assert not [r for r in results if isinstance(r, DomainError)]
    assert Certificate.objects.count() == 4
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3, 4]
    assert len(set(Certificate.objects.values_list("number", flat=True))) == 4


def test_two_staff_suspending_at_once_give_one_suspension_9_5(staff, certificate, ground, make_user):
    from certificates.models import SanctionStep

    other = make_user(Role.STAFF)
    case = services.sanction_case_open(actor=staff, certificate=certificate, ground=ground, description="Penyalahgunaan")
    results = run_at_once(
        [
            lambda: services.certificate_suspend(actor=staff, case=case, reason="a", decision_reference="SK-1"),
            lambda: services.certificate_suspend(actor=other, case=case, reason="b", decision_reference="SK-2"),
        ]
    )
    assert not [r for r in results if isinstance(r, DomainError)]
    assert SanctionStep.objects.filter(case=case, kind=SanctionStep.Kind.SUSPENSION).count() == 1
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUSPENDED


def test_two_members_of_the_appeal_team_deciding_at_once_give_one_binding_decision_9_9_7(
    panel_appeal, appeal_member, appeal_member2, staff
):
    from certificates.models import Appeal

    services.appeal_panel_form(actor=staff, appeal=panel_appeal, members=[appeal_member, appeal_member2])
    results = run_at_once(
        [
            lambda: services.appeal_decide(actor=appeal_member, appeal=panel_appeal, outcome="granted", reason="a"),
            lambda: services.appeal_decide(actor=appeal_member2, appeal=panel_appeal, outcome="rejected", reason="b"),
        ]
    )
    assert sum(isinstance(result, DomainError) for result in results) == 1
    appeal = Appeal.objects.get(pk=panel_appeal.pk)
    decision = Decision.objects.get(pk=appeal.decision_id)
    assert (appeal.outcome == "granted") == (decision.outcome == Decision.Outcome.GRANTED)


# --- the same races at scale -------------------------------------------------------------------------

ROUNDS = 200


def test_200_rounds_of_two_members_deciding_the_same_candidate_at_once_give_one_decision_each_9_4_4(
    staff, chair, member, record, tuk
):
    records = [record, *copies_of_submitted_record(record, ROUNDS - 1, staff=staff, tuk=tuk)]
    meeting = convene(staff, chair, records, members=[member])
    refused = "This candidate has already been decided."
    for round_, item in enumerate(records):
        # The two want different outcomes, so whoever comes second must be refused; either member may be first.
        granting, refusing = (chair, member) if round_ % 2 else (member, chair)
        results = run_at_once(
            [
                partial(decide, granting, meeting, item),
                partial(decide, refusing, meeting, item, Decision.Outcome.NOT_GRANTED, notes="Bukti diragukan"),
            ]
        )
        decisions = [result for result in results if isinstance(result, Decision)]
        refusals = [result for result in results if isinstance(result, DomainError)]
        assert (len(decisions), len(refusals)) == (1, 1), (round_, results)
        assert str(refusals[0]) == refused, (round_, str(refusals[0]))
        stored = Decision.objects.get(record=item)
        winner = results.index(decisions[0])
        assert stored == decisions[0]
        assert (stored.decided_by, stored.outcome) == [
            (granting, Decision.Outcome.GRANTED), (refusing, Decision.Outcome.NOT_GRANTED)
        ][winner]
    assert Decision.objects.filter(meeting=meeting).count() == ROUNDS
    assert AuditEvent.objects.filter(action="decision.record").count() == ROUNDS


CERTIFICATES, THREADS = 500, 8


def test_500_certificates_issued_from_8_threads_get_500_unique_gap_free_numbers_9_4_6(
    staff, chair, member, record, tuk, series, monkeypatch
):
    records = [record, *copies_of_submitted_record(record, CERTIFICATES - 1, staff=staff, tuk=tuk)]
    meeting = convene(staff, chair, records, members=[member])
    decisions = [decide(member, meeting, item) for item in records]
    letter = close_and_letter(staff, meeting)
    # The certificate PDFs are not what races here (their task is run three times at once below): each issue
    # must schedule its PDF once, after its commit; rendering 500 of them would only slow the test down.
    scheduled_pdfs = []
    monkeypatch.setattr(
        build_certificate_pdf, "delay_on_commit", lambda pk: transaction.on_commit(partial(scheduled_pdfs.append, pk))
    )
    work = queue.SimpleQueue()
    for decision in decisions:
        work.put(decision)

    def issue_until_done():
        issued = []
        while True:
            try:
                decision = work.get_nowait()
            except queue.Empty:
                return issued
            issued.append(services.certificate_issue(actor=staff, decision=decision))

    results = run_at_once([issue_until_done] * THREADS, timeout=300)
    assert all(results), "every thread issued certificates"
    issued = [certificate for batch in results for certificate in batch]
    assert len(issued) == CERTIFICATES
    certificates = Certificate.objects.filter(letter=letter)
    assert sorted(certificates.values_list("serial", flat=True)) == list(range(1, CERTIFICATES + 1))
    assert len(set(certificates.values_list("number", flat=True))) == CERTIFICATES
    assert sorted(certificates.values_list("decision_id", flat=True)) == sorted(d.pk for d in decisions)
    assert Counter.objects.get(series=series.counter_key(letter.date.year)).value == CERTIFICATES
    assert sorted(scheduled_pdfs) == sorted(certificates.values_list("pk", flat=True))
    told = Notification.objects.filter(key__startswith="certificate-issued:")
    assert told.count() == CERTIFICATES and not told.filter(emailed_at__isnull=True).exists()


def test_pdf_task_run_three_times_at_once_leaves_one_file(certificate):
    # The other racers' eager runs may hold Celery's "no waiting here" flag: each run's own result is read anyway.
    names = run_at_once([lambda: build_certificate_pdf.apply(args=[certificate.pk]).get(disable_sync_subtasks=False)] * 3)
    certificate.refresh_from_db()
    assert names == [certificate.pdf] * 3
    folder = certificate.pdf.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == ["sertifikat.pdf"]


def test_email_task_run_three_times_at_once_sends_one_email(make_user):
    user = make_user(Role.APPLICANT)
    message = Notification.objects.create(user=user, email=user.email, subject="Uji", body="Isi")
    sent = run_at_once([lambda: deliver_notification.apply(args=[message.pk]).get(disable_sync_subtasks=False)] * 3)
    assert sorted(sent) == [False, False, True]
    assert [m.to for m in mail.outbox] == [[user.email]]
    message.refresh_from_db()
    assert message.emailed_at is not None
