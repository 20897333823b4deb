"""Test results with VATM, the recommendation, submission and reopening (9.3.3–9.3.5), feedback (FR.AK.03)."""

import datetime

import pytest
from django.core.files.storage import default_storage

from applicants.models import Invoice
from assessments import services
from assessments.models import AssessmentFeedback, AssessmentRecord, EvidenceReview, Method, UnitResult, Verdict
from assessments.services._common import candidate_units
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification, Role
from schemes.models import Element

from .conftest import TODAY, evidence, plan_units, ready_application, record_all_units, review_units

pytestmark = pytest.mark.django_db
R = AssessmentRecord.Status


def _save(assignment, user, unit_code=None, verdict="K", items=None, **kwargs):
    unit_code = unit_code or candidate_units(assignment.application)[0]["code"]
    return services.unit_result_save(
        actor=user, assignment=assignment, unit_code=unit_code, methods=[Method.OBSERVATION], verdict=verdict,
        evidence=[evidence()] if items is None else items, **kwargs,
    )


# --- nothing before the agreement, only the assigned assessor ----------------------------------------------


def test_result_refused_before_agreement_9_2_4(planned, assessor):
    with pytest.raises(InvalidState, match="9.2.4"):
        _save(planned, assessor.user)
    assert not AssessmentRecord.objects.exists()


def test_result_refused_for_another_assessor_staff_and_candidate(agreed, other_assessor, staff, candidate):
    for actor in (other_assessor.user, staff, candidate):
        with pytest.raises(NotAllowed):
            _save(agreed, actor)


def test_result_refused_before_the_test_date(reviewed, assessor, tuk, candidate):
    services.plan_save(
        actor=assessor.user, assignment=reviewed, date=TODAY() + datetime.timedelta(days=3),
        start_time=datetime.time(9), tuk=tuk, units=plan_units(reviewed.application),
    )
    services.plan_agree(actor=candidate, assignment=reviewed, version=1, confidentiality=True)
    with pytest.raises(InvalidState, match="on or after"):
        _save(reviewed, assessor.user)


def test_result_refused_when_the_fee_is_not_settled(agreed, assessor):
    # The guard itself: the test is refused without a settled payment (section 8).
    Invoice.objects.filter(application=agreed.application).update(status=Invoice.Status.UNPAID)
    with pytest.raises(InvalidState, match="not paid"):
        _save(agreed, assessor.user)


def test_result_refused_when_the_tuk_verification_lapsed_9_3_2(agreed, assessor, tuk):
    tuk.verifications.update(valid_until=TODAY() - datetime.timedelta(days=1), verified_on=TODAY() - datetime.timedelta(days=30))
    with pytest.raises(InvalidState, match="9.3.2"):
        _save(agreed, assessor.user)


# --- one unit: methods, evidence, VATM ---------------------------------------------------------------------


def test_unit_k_with_evidence_meeting_vatm_9_3_3(agreed, assessor):
    result = _save(agreed, assessor.user)
    assert (result.verdict, result.assessor_verdict, result.downgraded) == (Verdict.K, Verdict.K, False)
    assert result.record.status == R.DRAFT
    assert result.record.assessor == assessor
    assert result.evidence.get().meets_vatm
    event = AuditEvent.objects.get(action="record.unit_save")
    assert (event.to_state, event.data["unit"]) == ("K", result.unit_code)
    # Saving the same again: unchanged.
    assert _save(agreed, assessor.user).pk == result.pk
    assert AuditEvent.objects.filter(action="record.unit_save").count() == 1


@pytest.mark.parametrize("rule", ["valid", "authentic", "current", "sufficient"])
def test_one_evidence_item_failing_a_vatm_rule_makes_the_unit_bk_9_3_4(agreed, assessor, rule):
    result = _save(agreed, assessor.user, items=[evidence(), evidence(description="Foto lama", **{rule: False})])
    assert (result.assessor_verdict, result.verdict, result.downgraded) == (Verdict.K, Verdict.BK, True)
    assert AuditEvent.objects.get(action="record.unit_save").data["vatm_not_met"] == ["Foto lama"]


def test_evidence_not_terkini_makes_the_unit_bk_and_the_recommendation_belum_kompeten(agreed, assessor):
    record_all_units(agreed, assessor.user)
    first = candidate_units(agreed.application)[0]["code"]
    _save(agreed, assessor.user, unit_code=first, items=[evidence(current=False)])
    record = AssessmentRecord.objects.get()
    assert record.units.get(unit_code=first).verdict == Verdict.BK
    assert services.record_recommendation(record) == Verdict.BK
    with pytest.raises(InvalidState, match="Belum Kompeten"):
        services.record_submit(actor=assessor.user, assignment=agreed)
    submitted = services.record_submit(actor=assessor.user, assignment=agreed, follow_up="Ulangi unit 1 dengan bukti terkini")
    assert (submitted.status, submitted.recommendation) == (R.SUBMITTED, Verdict.BK)


def test_unit_k_needs_evidence_and_a_method(agreed, assessor):
    with pytest.raises(InvalidState, match="evidence"):
        _save(agreed, assessor.user, items=[])
    with pytest.raises(InvalidState, match="9.3.1"):
        services.unit_result_save(
            actor=assessor.user, assignment=agreed, unit_code=candidate_units(agreed.application)[0]["code"],
            methods=[], verdict="K", evidence=[evidence()],
        )
    # BK without evidence is possible (the candidate showed nothing).
    assert _save(agreed, assessor.user, verdict="BK", items=[]).verdict == Verdict.BK


def test_unit_outside_the_scheme_is_refused(agreed, assessor):
    with pytest.raises(InvalidState):
        _save(agreed, assessor.user, unit_code="X.000000.000.00")


@pytest.fixture
def agreed_with_elements(tmi, staff, make_user, schedule, assessor, tuk, organisation):
    """A candidate whose first unit has two elements (entered before the application was submitted)."""
    unit = tmi.units.order_by("order", "id").first()
    Element.objects.create(unit=unit, order=1, title="Mengidentifikasi kebutuhan produksi")
    Element.objects.create(unit=unit, order=2, title="Menyusun jadwal produksi")
    applicant = make_user(Role.APPLICANT, full_name="Fajar Elemen")
    application = ready_application(applicant, staff, tmi)
    assignment = services.schedule_add_candidate(actor=staff, schedule=schedule, application=application)
    services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)
    services.evidence_review_record(
        actor=assessor.user, assignment=assignment, units=review_units(application), outcome=EvidenceReview.Outcome.PROCEED,
        reason="ok",
    )
    services.plan_save(
        actor=assessor.user, assignment=assignment, date=TODAY(), start_time=datetime.time(9), tuk=tuk,
        units=plan_units(application),
    )
    services.plan_agree(actor=applicant, assignment=assignment, version=1, confidentiality=True)
    return assignment, unit


def test_elements_are_recorded_and_one_bk_element_makes_the_unit_bk(agreed_with_elements, assessor):
    assignment, unit = agreed_with_elements
    with pytest.raises(InvalidState, match="element 2"):
        _save(assignment, assessor.user, unit_code=unit.code, elements={1: "K"})
    result = _save(assignment, assessor.user, unit_code=unit.code, elements={1: "K", 2: "BK"})
    assert result.verdict == Verdict.BK
    assert [(e.element_index, e.verdict) for e in result.elements.all()] == [(1, "K"), (2, "BK")]
    result = _save(assignment, assessor.user, unit_code=unit.code, elements={"1": "K", "2": "K"})
    assert result.verdict == Verdict.K
    assert UnitResult.objects.count() == 1


# --- submission ---------------------------------------------------------------------------------------


def test_no_recommendation_without_all_units_recorded_9_3_4(agreed, assessor):
    with pytest.raises(InvalidState):
        services.record_submit(actor=assessor.user, assignment=agreed)
    _save(agreed, assessor.user)
    with pytest.raises(InvalidState, match="Missing"):
        services.record_submit(actor=assessor.user, assignment=agreed)
    assert AssessmentRecord.objects.get().status == R.DRAFT


def test_submit_kompeten_locks_the_record_and_builds_the_pdfs_9_3_5(
    agreed, assessor, staff, django_capture_on_commit_callbacks
):
    record_all_units(agreed, assessor.user)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_submit(actor=assessor.user, assignment=agreed, expected="K", note="Lancar")
    assert (record.status, record.recommendation, record.follow_up) == (R.SUBMITTED, Verdict.K, "")
    assert record.is_competent and record.submitted_at
    event = AuditEvent.objects.get(action="record.submit")
    assert (event.actor, event.from_state, event.to_state, event.data) == (
        assessor.user, "draft", "submitted", {"recommendation": "K"},
    )
    assert Notification.objects.filter(user=staff, subject__contains=record.application.full_name).exists()
    record.refresh_from_db()
    schedule = record.assignment.schedule
    schedule.refresh_from_db()
    assert default_storage.open(record.pdf).read(4) == b"%PDF"
    assert default_storage.open(schedule.report_pdf).read(4) == b"%PDF"
    # Locked: no further result, and a second submission changes nothing.
    with pytest.raises(InvalidState, match="locked"):
        _save(agreed, assessor.user, verdict="BK")
    assert services.record_submit(actor=assessor.user, assignment=agreed) == record
    assert AuditEvent.objects.filter(action="record.submit").count() == 1


def test_building_the_pdf_again_replaces_the_file(agreed, assessor, django_capture_on_commit_callbacks):
    record_all_units(agreed, assessor.user)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_submit(actor=assessor.user, assignment=agreed)
    first = AssessmentRecord.objects.get().pdf
    assert services.record_pdf_build(record_id=record.pk) == first
    root = default_storage.path("assessments/records")
    import pathlib

    assert len([p for p in pathlib.Path(root).rglob("*.pdf")]) == 1


def test_submit_refused_when_the_page_showed_another_recommendation(agreed, assessor):
    record_all_units(agreed, assessor.user)
    with pytest.raises(InvalidState, match="changed"):
        services.record_submit(actor=assessor.user, assignment=agreed, expected="BK", follow_up="x")


def test_submit_refused_for_another_assessor(agreed, assessor, other_assessor):
    record_all_units(agreed, assessor.user)
    with pytest.raises(NotAllowed):
        services.record_submit(actor=other_assessor.user, assignment=agreed)


def test_one_active_record_per_application(agreed, assessor):
    record_all_units(agreed, assessor.user)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentRecord.objects.create(assignment=agreed, application=agreed.application, assessor=assessor)


# --- reopening ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(agreed, assessor):
    record_all_units(agreed, assessor.user)
    return services.record_submit(actor=assessor.user, assignment=agreed)


def test_staff_reopen_with_a_reason_that_is_audited(submitted, staff, assessor):
    reopened = services.record_reopen(actor=staff, record=submitted, reason="Unit 3 salah metode")
    assert (reopened.status, reopened.recommendation, reopened.submitted_at) == (R.DRAFT, "", None)
    assert (reopened.reopen_count, reopened.reopened_by, reopened.reopen_reason) == (1, staff, "Unit 3 salah metode")
    event = AuditEvent.objects.get(action="record.reopen")
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        staff, "submitted", "draft", "Unit 3 salah metode",
    )
    assert event.data == {"previous_recommendation": "K"}
    assert Notification.objects.filter(user=assessor.user, subject__contains=submitted.application.full_name).exists()
    # Draft again: the assessor corrects and submits again.
    _save(submitted.assignment, assessor.user, verdict="BK", items=[])
    again = services.record_submit(actor=assessor.user, assignment=submitted.assignment, follow_up="Latihan lagi")
    assert (again.status, again.recommendation) == (R.SUBMITTED, Verdict.BK)
    # Reopening a draft is a no-op.
    services.record_reopen(actor=staff, record=again, reason="x")
    assert services.record_reopen(actor=staff, record=again, reason="y").reopen_count == 2


def test_reopen_needs_a_reason_and_staff(submitted, staff, assessor):
    with pytest.raises(InvalidState):
        services.record_reopen(actor=staff, record=submitted, reason=" ")
    with pytest.raises(NotAllowed):
        services.record_reopen(actor=assessor.user, record=submitted, reason="Saya ingin ubah")
    assert AssessmentRecord.objects.get().status == R.SUBMITTED
    assert not AuditEvent.objects.filter(action="record.reopen").exists()


# --- feedback (FR.AK.03) -------------------------------------------------------------------------------


def _answers(value=True):
    from assessments.models import FEEDBACK_QUESTIONS

    return {code: value for code, _text in FEEDBACK_QUESTIONS}


def test_feedback_once_after_submission(agreed, assessor, candidate):
    with pytest.raises(InvalidState):
        services.feedback_submit(actor=candidate, assignment=agreed, answers=_answers())
    record_all_units(agreed, assessor.user)
    services.record_submit(actor=assessor.user, assignment=agreed)
    with pytest.raises(InvalidState):
        services.feedback_submit(actor=candidate, assignment=agreed, answers={"explained": True})
    with pytest.raises(NotAllowed):
        services.feedback_submit(actor=assessor.user, assignment=agreed, answers=_answers())
    feedback = services.feedback_submit(actor=candidate, assignment=agreed, answers=_answers(), comment="Baik")
    assert feedback.answers["explained"] is True
    assert services.feedback_submit(actor=candidate, assignment=agreed, answers=_answers(False)) == feedback
    assert AssessmentFeedback.objects.get().comment == "Baik"


def test_a_later_stage_can_forbid_reopening(submitted, staff):
    from assessments.services import results

    def decided(record):
        return "Already decided by the technical team."

    services.register_reopen_guard(decided)
    try:
        with pytest.raises(InvalidState, match="technical team"):
            services.record_reopen(actor=staff, record=submitted, reason="Koreksi")
    finally:
        results._reopen_guards.remove(decided)
    assert AssessmentRecord.objects.get().status == R.SUBMITTED
