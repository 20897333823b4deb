"""Before the test: the APL-02 evidence review (9.2.5, 9.2.6), the plan (9.2.3) and its agreement (9.2.4).

Order of one candidate: ``evidence_review_record`` (can proceed) → ``plan_save`` (proposed)
→ ``plan_agree`` by the candidate (agreed, FR.AK.01). An agreed plan is locked.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState
from lsp.notifications import notify

from ..models import AssessmentPlan, EvidenceReview, EvidenceReviewUnit, Method, PlanUnit
from ._common import (
    candidate_units,
    clean_text,
    lock_assignment,
    portal_link,
    require_assigned_assessor,
    require_candidate,
    require_declared,
    staff_recipients,
)

P = AssessmentPlan.Status


def evidence_review_record(*, actor, assignment, units, outcome, reason):
    """Record the adequacy of the APL-02 evidence per unit (9.2.5) and whether the assessment can proceed (9.2.6).

    ``units`` maps each unit code to ``(adequate: bool, note)``. May be recorded again until the plan is agreed.
    """
    reason = clean_text(reason)
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_assigned_assessor(actor, assignment)
        require_declared(assignment)
        plan = assignment.plan_or_none()
        if plan is not None and plan.is_agreed:
            raise InvalidState(_("The plan is already agreed; the evidence review can no longer change."))
        if outcome not in EvidenceReview.Outcome.values:
            raise InvalidState(_("Say whether the assessment can proceed."))
        if not reason:
            raise InvalidState(_("Give the reason for your recommendation."))
        scheme_units = candidate_units(assignment.application)
        missing = [unit["code"] for unit in scheme_units if unit["code"] not in units]
        if missing:
            raise InvalidState(_("Judge the evidence of every unit: %(units)s") % {"units": ", ".join(missing)})
        rows = [(unit, bool(units[unit["code"]][0]), clean_text(units[unit["code"]][1])) for unit in scheme_units]
        review = assignment.evidence_review_or_none()
        previous = review.outcome if review else ""
        if review is not None:
            same = review.outcome == outcome and review.reason == reason and [
                (u.unit_code, u.adequate, u.note) for u in review.units.all()
            ] == [(unit["code"], adequate, note) for unit, adequate, note in rows]
            if same:
                return review
            review.outcome, review.reason, review.reviewed_at, review.reviewed_by = outcome, reason, timezone.now(), actor
            review.save()
            review.units.all().delete()
        else:
            review = EvidenceReview.objects.create(
                assignment=assignment, outcome=outcome, reason=reason, reviewed_by=actor
            )
        EvidenceReviewUnit.objects.bulk_create(
            EvidenceReviewUnit(
                review=review,
                position=unit["position"],
                unit_code=unit["code"],
                unit_title=unit["title"],
                adequate=adequate,
                note=note,
            )
            for unit, adequate, note in rows
        )
        audit_record(
            actor=actor,
            action="evidence_review.record",
            obj=assignment,
            from_state=previous,
            to_state=outcome,
            reason=reason,
            data={"not_adequate": [unit["code"] for unit, adequate, _note in rows if not adequate]},
        )
        if outcome == EvidenceReview.Outcome.NOT_PROCEED and previous != outcome:
            for user in staff_recipients():
                notify(
                    user=user,
                    template="emails/assessment_not_proceeding.txt",
                    context={
                        "assignment": assignment,
                        "reason": reason,
                        "link": portal_link("assessments:schedule-detail", assignment.schedule_id),
                    },
                )
    return review


def plan_save(*, actor, assignment, date, start_time, tuk, units, notes=""):
    """Propose the assessment plan (9.2.3): per unit the methods (9.3.1) and evidence; date, time and TUK.

    ``units`` maps each unit code to ``(methods, evidence_to_collect)``. Saving again changes
    a proposed plan (the candidate then agrees to the new version); an agreed plan is locked.
    """
    notes = clean_text(notes)
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_assigned_assessor(actor, assignment)
        require_declared(assignment)
        review = assignment.evidence_review_or_none()
        if review is None:
            raise InvalidState(_("Review the APL-02 evidence first (9.2.5)."))
        if not review.may_proceed:
            raise InvalidState(_("You recommended that the assessment cannot proceed (9.2.6)."))
        plan = assignment.plan_or_none()
        if plan is not None and plan.is_agreed:
            raise InvalidState(_("The candidate has agreed to this plan; it can no longer change."))
        if date < timezone.localdate():
            raise InvalidState(_("The test date cannot be in the past."))
        if not tuk.is_verified_on(date):
            raise InvalidState(_("This TUK is not verified for that date, so it cannot host the test (9.3.2)."))
        scheme_units = candidate_units(assignment.application)
        rows = []
        for unit in scheme_units:
            methods, evidence = units.get(unit["code"], ((), ""))
            methods = [method for method in Method.values if method in set(methods or ())]
            if not methods:
                raise InvalidState(
                    _("Choose at least one method for unit %(code)s (9.3.1).") % {"code": unit["code"]}
                )
            rows.append((unit, methods, clean_text(evidence)))
        if plan is not None:
            same = (plan.date, plan.start_time, plan.tuk_id, plan.notes) == (date, start_time, tuk.pk, notes) and [
                (u.unit_code, u.methods, u.evidence_to_collect) for u in plan.units.all()
            ] == [(unit["code"], methods, evidence) for unit, methods, evidence in rows]
            if same:
                return plan
            plan.date, plan.start_time, plan.tuk, plan.notes = date, start_time, tuk, notes
            plan.version += 1
            plan.proposed_at = timezone.now()
            plan.save()
            plan.units.all().delete()
            previous = P.PROPOSED
        else:
            plan = AssessmentPlan.objects.create(
                assignment=assignment, date=date, start_time=start_time, tuk=tuk, notes=notes
            )
            previous = ""
        PlanUnit.objects.bulk_create(
            PlanUnit(
                plan=plan,
                position=unit["position"],
                unit_code=unit["code"],
                unit_title=unit["title"],
                methods=methods,
                evidence_to_collect=evidence,
            )
            for unit, methods, evidence in rows
        )
        audit_record(
            actor=actor,
            action="plan.propose",
            obj=assignment,
            from_state=previous,
            to_state=P.PROPOSED,
            data={"version": plan.version, "date": date.isoformat(), "tuk": tuk.pk},
        )
        notify(
            user=assignment.application.applicant,
            template="emails/assessment_plan_proposed.txt",
            context={"plan": plan, "link": portal_link("assessments:candidate-detail", assignment.pk)},
            key=f"plan-proposed:{plan.pk}:v{plan.version}",
        )
    return plan


def plan_agree(*, actor, assignment, version, confidentiality):
    """The candidate agrees on line to the plan and to the confidentiality terms (9.2.4, FR.AK.01).

    ``version`` is the version the candidate read: a plan changed in between must be read again.
    """
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        require_candidate(actor, assignment)
        require_declared(assignment)
        plan = AssessmentPlan.objects.select_for_update().filter(assignment=assignment).first()
        if plan is None:
            raise InvalidState(_("The assessor has not proposed a plan yet."))
        if plan.is_agreed:
            return plan
        review = assignment.evidence_review_or_none()
        if review is None or not review.may_proceed:
            raise InvalidState(_("The assessor recommended that the assessment cannot proceed (9.2.6)."))
        if version is not None and int(version) != plan.version:
            raise InvalidState(_("The assessor changed the plan since you opened it; read it again."))
        if not confidentiality:
            raise InvalidState(_("Agree to the confidentiality terms to continue."))
        now = timezone.now()
        plan.status, plan.agreed_at, plan.confidentiality_agreed_at = P.AGREED, now, now
        plan.save(update_fields=["status", "agreed_at", "confidentiality_agreed_at"])
        audit_record(
            actor=actor,
            action="plan.agree",
            obj=assignment,
            from_state=P.PROPOSED,
            to_state=P.AGREED,
            data={"version": plan.version},
        )
        notify(
            user=assignment.assessor.user,
            template="emails/assessment_plan_agreed.txt",
            context={"plan": plan, "assignment": assignment, "link": portal_link("assessments:workspace", assignment.pk)},
        )
    return plan
