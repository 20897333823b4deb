"""Before the test: APL-02 evidence review (9.2.5, 9.2.6), the plan (9.2.3) and the candidate's agreement (9.2.4)."""

import datetime

import pytest

from assessments import services
from assessments.models import AssessmentPlan, EvidenceReview, Method, Tuk
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification

from .conftest import TODAY, plan_units, review_units

pytestmark = pytest.mark.django_db
PROCEED, NOT_PROCEED = EvidenceReview.Outcome.PROCEED, EvidenceReview.Outcome.NOT_PROCEED


def _review(assignment, user, outcome=PROCEED, reason="Bukti memadai", units=None):
    return services.evidence_review_record(
        actor=user, assignment=assignment, units=units or review_units(assignment.application), outcome=outcome,
        reason=reason,
    )


def _plan(assignment, user, tuk, **overrides):
    arguments = {"date": TODAY(), "start_time": datetime.time(9), "tuk": tuk, "units": plan_units(assignment.application)}
    arguments.update(overrides)
    return services.plan_save(actor=user, assignment=assignment, **arguments)


# --- APL-02 evidence review ---------------------------------------------------------------------------


def test_review_records_adequacy_per_unit_and_the_recommendation_9_2_5_9_2_6(active, assessor):
    units = review_units(active.application)
    first = next(iter(units))
    units[first] = (False, "Bukti kurang")
    review = _review(active, assessor.user, units=units)
    assert review.outcome == PROCEED
    assert review.units.count() == 10
    assert review.units.get(unit_code=first).note == "Bukti kurang"
    event = AuditEvent.objects.get(action="evidence_review.record")
    assert (event.to_state, event.data["not_adequate"]) == (PROCEED, [first])
    # Same again: unchanged.
    _review(active, assessor.user, units=units)
    assert AuditEvent.objects.filter(action="evidence_review.record").count() == 1


def test_review_refused_before_the_conflict_declaration(assigned, assessor):
    with pytest.raises(InvalidState, match="conflict"):
        _review(assigned, assessor.user)


def test_review_refused_for_another_assessor_and_the_candidate(active, other_assessor, candidate):
    for actor in (other_assessor.user, candidate):
        with pytest.raises(NotAllowed):
            _review(active, actor)


def test_review_needs_every_unit_and_a_reason(active, assessor):
    units = review_units(active.application)
    units.pop(next(iter(units)))
    with pytest.raises(InvalidState):
        _review(active, assessor.user, units=units)
    with pytest.raises(InvalidState):
        _review(active, assessor.user, reason="  ")
    assert not EvidenceReview.objects.exists()


def test_cannot_proceed_tells_staff_and_blocks_the_plan_9_2_6(active, assessor, staff, tuk):
    _review(active, assessor.user, outcome=NOT_PROCEED, reason="Bukti tidak relevan")
    assert Notification.objects.filter(user=staff, subject__contains=active.application.full_name).exists()
    with pytest.raises(InvalidState, match="9.2.6"):
        _plan(active, assessor.user, tuk)


# --- the plan ---------------------------------------------------------------------------------------


def test_plan_sets_methods_per_unit_and_asks_the_candidate_9_2_3(reviewed, assessor, tuk, candidate):
    plan = _plan(reviewed, assessor.user, tuk)
    assert (plan.status, plan.version, plan.tuk) == (AssessmentPlan.Status.PROPOSED, 1, tuk)
    assert plan.units.count() == 10
    assert plan.units.first().methods == [Method.OBSERVATION, Method.ORAL]
    assert Notification.objects.filter(user=candidate, key=f"plan-proposed:{plan.pk}:v1").exists()
    # Unchanged: same version; changed: a new version to agree to.
    assert _plan(reviewed, assessor.user, tuk).version == 1
    assert _plan(reviewed, assessor.user, tuk, start_time=datetime.time(10)).version == 2
    assert Notification.objects.filter(user=candidate, key=f"plan-proposed:{plan.pk}:v2").exists()


def test_plan_refused_before_the_evidence_review(active, assessor, tuk):
    with pytest.raises(InvalidState, match="9.2.5"):
        _plan(active, assessor.user, tuk)


def test_plan_needs_a_method_for_every_unit_9_3_1(reviewed, assessor, tuk):
    units = plan_units(reviewed.application)
    units[next(iter(units))] = ([], "")
    with pytest.raises(InvalidState, match="9.3.1"):
        _plan(reviewed, assessor.user, tuk, units=units)
    assert not AssessmentPlan.objects.exists()


def test_plan_refused_at_an_unverified_tuk_9_3_2(reviewed, assessor, staff):
    other = services.tuk_create(actor=staff, name="TUK X", tuk_type=Tuk.Type.WORKPLACE, address="x", contact_person="y")
    with pytest.raises(InvalidState, match="9.3.2"):
        _plan(reviewed, assessor.user, other)


def test_plan_refused_for_another_assessor(reviewed, other_assessor, tuk):
    with pytest.raises(NotAllowed):
        _plan(reviewed, other_assessor.user, tuk)


def test_agreed_plan_is_locked(agreed, assessor, tuk):
    with pytest.raises(InvalidState, match="agreed"):
        _plan(agreed, assessor.user, tuk, start_time=datetime.time(11))
    with pytest.raises(InvalidState):
        _review(agreed, assessor.user, reason="Ganti")


# --- the candidate's agreement (FR.AK.01) -----------------------------------------------------------------


def test_candidate_agrees_to_plan_and_confidentiality_9_2_4(planned, candidate, assessor):
    plan = services.plan_agree(actor=candidate, assignment=planned, version=1, confidentiality=True)
    assert plan.status == AssessmentPlan.Status.AGREED
    assert plan.agreed_at and plan.confidentiality_agreed_at
    event = AuditEvent.objects.get(action="plan.agree")
    assert (event.actor, event.from_state, event.to_state) == (candidate, "proposed", "agreed")
    assert Notification.objects.filter(user=assessor.user, subject__contains=planned.application.full_name).exists()
    # Twice: unchanged.
    services.plan_agree(actor=candidate, assignment=planned, version=1, confidentiality=True)
    assert AuditEvent.objects.filter(action="plan.agree").count() == 1


def test_agreement_needs_confidentiality(planned, candidate):
    with pytest.raises(InvalidState):
        services.plan_agree(actor=candidate, assignment=planned, version=1, confidentiality=False)


def test_agreement_to_an_outdated_version_is_refused(planned, candidate, assessor, tuk):
    _plan(planned, assessor.user, tuk, start_time=datetime.time(13))
    with pytest.raises(InvalidState, match="changed"):
        services.plan_agree(actor=candidate, assignment=planned, version=1, confidentiality=True)
    assert services.plan_agree(actor=candidate, assignment=planned, version=2, confidentiality=True).is_agreed


def test_only_the_candidate_agrees(planned, assessor, staff, make_user):
    from lsp.models import Role

    for actor in (assessor.user, staff, make_user(Role.APPLICANT)):
        with pytest.raises(NotAllowed):
            services.plan_agree(actor=actor, assignment=planned, version=1, confidentiality=True)


def test_agreement_refused_before_a_plan(reviewed, candidate):
    with pytest.raises(InvalidState):
        services.plan_agree(actor=candidate, assignment=reviewed, version=1, confidentiality=True)
