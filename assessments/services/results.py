"""The competency test record (FR.AK.02), the recommendation (9.3.3–9.3.5) and the candidate's feedback (FR.AK.03).

``unit_result_save`` (draft) → ``record_submit`` (submitted, locked, PDFs built after
commit) → ``record_reopen`` by staff with a reason (back to draft; opposite of submit).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState
from lsp.notifications import notify

from ..models import (
    FEEDBACK_QUESTIONS,
    AssessmentFeedback,
    AssessmentPlan,
    AssessmentRecord,
    ElementResult,
    EvidenceItem,
    Method,
    UnitResult,
    Verdict,
)
from ._common import (
    candidate_units,
    clean_text,
    lock_assignment,
    portal_link,
    require_assigned_assessor,
    require_candidate,
    require_declared,
    require_ready_application,
    require_staff,
    staff_recipients,
)

R = AssessmentRecord.Status
VATM_FIELDS = ("valid", "authentic", "current", "sufficient")

# Later stages say when a submitted record may no longer be reopened (e.g. the technical team has
# decided on it, 9.4): ``guard(record)`` returns a translated reason, or None.
_reopen_guards = []


def register_reopen_guard(guard):
    """Add ``guard(record) -> message | None``; usable as a decorator. Registering twice is harmless."""
    if guard not in _reopen_guards:
        _reopen_guards.append(guard)
    return guard


def require_test_may_be_recorded(assignment):
    """No test without an accepted, paid application, an agreed plan and a verified TUK, on or after the day."""
    require_ready_application(assignment.application)
    plan = AssessmentPlan.objects.filter(assignment=assignment).select_related("tuk").first()
    if plan is None or not plan.is_agreed:
        raise InvalidState(_("The candidate has not agreed to the assessment plan yet (9.2.4, FR.AK.01)."))
    if not plan.tuk.is_verified_on(plan.date):
        raise InvalidState(_("The TUK of the plan is not verified for the test date (9.3.2)."))
    if timezone.localdate() < plan.date:
        raise InvalidState(_("Results are recorded on or after the test date."))
    return plan


def _open_record(assignment, actor):
    """The draft record of this assignment, created on the first result; refused once submitted."""
    record = AssessmentRecord.objects.select_for_update().filter(assignment=assignment).first()
    if record is None:
        return AssessmentRecord.objects.create(
            assignment=assignment, application=assignment.application, assessor=assignment.assessor
        )
    if record.status == R.SUBMITTED:
        raise InvalidState(_("The record was submitted to the LSP and is locked."))
    if record.status != R.DRAFT:
        raise InvalidState(_("This record was withdrawn."))
    return record


def _clean_evidence(evidence):
    items = []
    for row in evidence or ():
        description = clean_text(row.get("description"))
        if not description:
            continue
        items.append(
            {"description": description, "note": clean_text(row.get("note")), **{f: bool(row.get(f)) for f in VATM_FIELDS}}
        )
    return items


def _stored(unit_result):
    if unit_result is None:
        return None
    return {
        "methods": unit_result.methods,
        "verdict": unit_result.assessor_verdict,
        "note": unit_result.note,
        "elements": {e.element_index: e.verdict for e in unit_result.elements.all()},
        "evidence": [
            {"description": e.description, "note": e.note, **{f: getattr(e, f) for f in VATM_FIELDS}}
            for e in unit_result.evidence.all()
        ],
    }


def unit_result_save(*, actor, assignment, unit_code, methods, verdict, evidence, elements=None, note=""):
    """Record one unit of the test (9.3.3): methods used, evidence with VATM judgements, elements, K or BK.

    ``evidence`` is a list of ``{"description", "valid", "authentic", "current", "sufficient", "note"}``;
    ``elements`` maps each element's position to "K" or "BK" where the unit has elements.
    The unit counts as K only when the assessor judged K, every element is K and every
    evidence item meets all four VATM rules (9.3.4); otherwise it is stored as BK.
    """
    note = clean_text(note)
    elements = {int(index): value for index, value in (elements or {}).items()}
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_assigned_assessor(actor, assignment)
        require_declared(assignment)
        require_test_may_be_recorded(assignment)
        unit = next((u for u in candidate_units(assignment.application) if u["code"] == unit_code), None)
        if unit is None:
            raise InvalidState(_("This unit is not part of the candidate's scheme."))
        methods = [method for method in Method.values if method in set(methods or ())]
        if not methods:
            raise InvalidState(_("Choose the method used (9.3.1)."))
        if verdict not in Verdict.values:
            raise InvalidState(_("Choose K or BK for the unit."))
        element_rows = []
        for element in unit["elements"]:
            value = elements.get(element["index"])
            if value not in Verdict.values:
                raise InvalidState(
                    _("Choose K or BK for element %(index)s.") % {"index": element["index"]}
                )
            element_rows.append((element, value))
        items = _clean_evidence(evidence)
        if verdict == Verdict.K and not items:
            raise InvalidState(_("A unit judged K needs at least one piece of evidence."))
        record = _open_record(assignment, actor)
        existing = record.units.filter(unit_code=unit_code).prefetch_related("elements", "evidence").first()
        wanted = {
            "methods": methods,
            "verdict": verdict,
            "note": note,
            "elements": {element["index"]: value for element, value in element_rows},
            "evidence": items,
        }
        if _stored(existing) == wanted:
            return existing
        all_met = all(all(item[f] for f in VATM_FIELDS) for item in items)
        effective = (
            Verdict.K
            if verdict == Verdict.K and all_met and all(value == Verdict.K for _e, value in element_rows)
            else Verdict.BK
        )
        previous = existing.verdict if existing else ""
        if existing is not None:
            existing.delete()  # a draft row is replaced whole; the audit row keeps what changed
        unit_result = UnitResult.objects.create(
            record=record,
            position=unit["position"],
            unit_code=unit["code"],
            unit_title=unit["title"],
            methods=methods,
            verdict=effective,
            assessor_verdict=verdict,
            note=note,
        )
        ElementResult.objects.bulk_create(
            ElementResult(
                unit_result=unit_result, element_index=element["index"], element_title=element["title"], verdict=value
            )
            for element, value in element_rows
        )
        EvidenceItem.objects.bulk_create(
            EvidenceItem(unit_result=unit_result, order=order, **item) for order, item in enumerate(items, 1)
        )
        audit_record(
            actor=actor,
            action="record.unit_save",
            obj=record,
            from_state=previous,
            to_state=effective,
            data={
                "unit": unit_code,
                "methods": methods,
                "assessor_verdict": verdict,
                "evidence": len(items),
                "vatm_not_met": [item["description"] for item in items if not all(item[f] for f in VATM_FIELDS)],
            },
        )
    return unit_result


def record_problems(record, units=None):
    """Why the record cannot be submitted yet: every unit of the candidate must be recorded."""
    units = units if units is not None else candidate_units(record.application)
    recorded = set(record.units.values_list("unit_code", flat=True))
    return [unit["code"] for unit in units if unit["code"] not in recorded]


def record_recommendation(record):
    """Kompeten only when every unit is K and every evidence item used meets all four VATM rules (9.3.4)."""
    results = list(record.units.prefetch_related("evidence"))
    if results and all(
        result.verdict == Verdict.K and all(item.meets_vatm for item in result.evidence.all()) for result in results
    ):
        return Verdict.K
    return Verdict.BK


def record_submit(*, actor, assignment, follow_up="", note="", expected=None):
    """Submit the record and recommendation to the LSP (9.3.5); the record is locked.

    ``expected`` is the recommendation the assessor saw on the page; if the results say
    otherwise (changed meanwhile) the submission is refused. Opposite: ``record_reopen``.
    """
    follow_up, note = clean_text(follow_up), clean_text(note)
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_assigned_assessor(actor, assignment)
        record = AssessmentRecord.objects.select_for_update().filter(assignment=assignment).first()
        if record is not None and record.status == R.SUBMITTED:
            return record
        require_declared(assignment)
        if record is None or record.status != R.DRAFT:
            raise InvalidState(_("Record the results of every unit first."))
        require_test_may_be_recorded(assignment)
        missing = record_problems(record)
        if missing:
            raise InvalidState(
                _("Record every unit before the recommendation. Missing: %(units)s") % {"units": ", ".join(missing)}
            )
        recommendation = record_recommendation(record)
        if expected and expected != recommendation:
            raise InvalidState(_("The results changed; check the recommendation again."))
        if recommendation == Verdict.BK and not follow_up:
            raise InvalidState(_("Say what the candidate needs to do next (Belum Kompeten)."))
        record.status, record.recommendation, record.submitted_at = R.SUBMITTED, recommendation, timezone.now()
        record.follow_up = follow_up if recommendation == Verdict.BK else ""
        record.note = note
        record.save(update_fields=["status", "recommendation", "submitted_at", "follow_up", "note", "updated_at"])
        audit_record(
            actor=actor,
            action="record.submit",
            obj=record,
            from_state=R.DRAFT,
            to_state=R.SUBMITTED,
            reason=record.follow_up,
            data={"recommendation": recommendation},
        )
        for user in staff_recipients():
            notify(
                user=user,
                template="emails/assessment_record_submitted.txt",
                context={"record": record, "link": portal_link("assessments:record-detail", record.pk)},
            )
        _build_pdfs_after_commit(record)
    return record


def _build_pdfs_after_commit(record):
    from ..tasks import build_record_pdf, build_schedule_report

    build_record_pdf.delay_on_commit(record.pk)
    build_schedule_report.delay_on_commit(record.assignment.schedule_id)


def record_reopen(*, actor, record, reason):
    """Staff reopen a submitted record for correction, with a reason that is audited. Opposite: ``record_submit``."""
    reason = clean_text(reason)
    with transaction.atomic():
        require_staff(actor)
        record = AssessmentRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == R.DRAFT:
            return record
        if record.status != R.SUBMITTED:
            raise InvalidState(_("Only a submitted record can be reopened."))
        if not reason:
            raise InvalidState(_("Give the reason for reopening the record."))
        for guard in _reopen_guards:
            refusal = guard(record)
            if refusal:
                raise InvalidState(refusal)
        previous = record.recommendation
        record.status, record.recommendation, record.submitted_at = R.DRAFT, "", None
        record.reopened_at, record.reopened_by, record.reopen_reason = timezone.now(), actor, reason
        record.reopen_count += 1
        record.save(
            update_fields=[
                "status", "recommendation", "submitted_at", "reopened_at", "reopened_by", "reopen_reason",
                "reopen_count", "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="record.reopen",
            obj=record,
            from_state=R.SUBMITTED,
            to_state=R.DRAFT,
            reason=reason,
            data={"previous_recommendation": previous},
        )
        notify(
            user=record.assessor.user,
            template="emails/assessment_record_reopened.txt",
            context={"record": record, "reason": reason, "link": portal_link("assessments:results", record.assignment_id)},
        )
        from ..tasks import build_schedule_report

        # The session report (FR.AK.05) no longer shows the withdrawn recommendation.
        build_schedule_report.delay_on_commit(record.assignment.schedule_id)
    return record


def feedback_submit(*, actor, assignment, answers, comment=""):
    """The candidate's feedback on the assessment (FR.AK.03), once, after the record is submitted."""
    comment = clean_text(comment)
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_candidate(actor, assignment)
        existing = AssessmentFeedback.objects.filter(assignment=assignment).first()
        if existing is not None:
            return existing
        record = assignment.record_or_none()
        if record is None or not record.is_submitted:
            raise InvalidState(_("Feedback is given after the assessor has submitted the results."))
        codes = [code for code, _text in FEEDBACK_QUESTIONS]
        if any(answers.get(code) is None for code in codes):
            raise InvalidState(_("Answer every question."))
        feedback = AssessmentFeedback.objects.create(
            assignment=assignment, answers={code: bool(answers[code]) for code in codes}, comment=comment
        )
        audit_record(actor=actor, action="feedback.submit", obj=assignment, to_state="feedback_given")
    return feedback
