"""Two people acting at once produce one outcome (row locks; PostgreSQL only).

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/lsp_ci; on SQLite these are skipped.
"""

import threading

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate, Decision
from lsp.errors import DomainError
from lsp.models import Role

from .helpers import close_and_letter, convene, decide, submitted_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks): set DATABASE_URL=postgres://…")


def run_at_once(functions):
    """Run each function in its own thread, released together; returns results or raised errors."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def target(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


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
