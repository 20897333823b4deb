"""The assessor's workspace: only the candidates assigned to them (another assessor's candidate is 404).

Declaration of conflicts → APL-02 evidence review (9.2.5, 9.2.6) → plan (9.2.3) → results
per unit with VATM (9.3.3) → submission of the recommendation (9.3.5).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants.selectors import current_documents
from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import attempt, form_errors_to_messages

from .. import services
from ..forms import (
    DeclarationForm,
    ElementResultFormSet,
    EvidenceItemFormSet,
    EvidenceReviewForm,
    EvidenceReviewFormSet,
    PlanForm,
    PlanUnitFormSet,
    SubmitRecordForm,
    UnitResultForm,
)
from ..models import Assignment
from ..selectors import assignment_for_assessor, assignments_for_assessor
from ..services._common import candidate_units
from .common import assignment_stages, record_context, units_with_results

assessor_only = role_required(Role.ASSESSOR)


def _declared_assignment(request, pk):
    """The assessor's own candidate, whose file they may open (no conflict declared); else back to the overview."""
    assignment = assignment_for_assessor(request.user, pk)
    if assignment.status != Assignment.Status.ACTIVE:
        messages.warning(request, _("Declare first whether you have a conflict of interest with this candidate."))
        return assignment, redirect("assessments:workspace", pk=assignment.pk)
    return assignment, None


@require_GET
@assessor_only
def assessor_index(request):
    return render(request, "assessments/assessor/assignment_list.html", {"assignments": assignments_for_assessor(request.user)})


@require_GET
@assessor_only
def workspace(request, pk):
    assignment = assignment_for_assessor(request.user, pk)
    context = {"assignment": assignment, "application": assignment.application, "schedule": assignment.schedule}
    if assignment.status == Assignment.Status.AWAITING_DECLARATION:
        context["form"] = DeclarationForm()
    else:
        context.update(
            {
                "stages": assignment_stages(assignment),
                "review": assignment.evidence_review_or_none(),
                "plan": assignment.plan_or_none(),
                "record": assignment.record_or_none(),
            }
        )
    return render(request, "assessments/assessor/workspace.html", context)


@require_POST
@assessor_only
def declare(request, pk):
    assignment = assignment_for_assessor(request.user, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("assessments:workspace", pk=assignment.pk)
    has_conflict = form.cleaned_data["has_conflict"] == "yes"
    done = attempt(
        request,
        services.assignment_declare,
        actor=request.user,
        assignment=assignment,
        has_conflict=has_conflict,
        kinds=form.cleaned_data["kinds"],
        note=form.cleaned_data["note"],
    )
    if done is None:
        return redirect("assessments:workspace", pk=assignment.pk)
    if has_conflict:
        messages.success(request, _("Conflict of interest recorded. The LSP will assign another assessor."))
        return redirect("assessments:assessor-home")
    messages.success(request, _("No conflict of interest declared. The candidate's file is open to you."))
    return redirect("assessments:evidence-review", pk=assignment.pk)


def _apl02_items(application, units):
    """The candidate's APL-02 answers with their evidence, grouped by unit."""
    answers = list(application.answers.prefetch_related("evidence").order_by("id"))
    return {unit["code"]: [a for a in answers if a.unit_code == unit["code"]] for unit in units}


@require_http_methods(["GET", "POST"])
@assessor_only
def evidence_review(request, pk):
    assignment, redirect_response = _declared_assignment(request, pk)
    if redirect_response:
        return redirect_response
    application = assignment.application
    units = candidate_units(application)
    review = assignment.evidence_review_or_none()
    existing = {u.unit_code: u for u in review.units.all()} if review else {}
    initial = [
        {
            "code": unit["code"],
            "adequate": ("yes" if existing[unit["code"]].adequate else "no") if unit["code"] in existing else None,
            "note": existing[unit["code"]].note if unit["code"] in existing else "",
        }
        for unit in units
    ]
    formset = EvidenceReviewFormSet(request.POST or None, initial=initial, prefix="units")
    form = EvidenceReviewForm(
        request.POST or None, initial={"outcome": review.outcome, "reason": review.reason} if review else None
    )
    if request.method == "POST":
        if formset.is_valid() and form.is_valid():
            done = attempt(
                request,
                services.evidence_review_record,
                _("Evidence review saved."),
                actor=request.user,
                assignment=assignment,
                units={f.cleaned_data["code"]: (f.cleaned_data["adequate"] == "yes", f.cleaned_data["note"]) for f in formset},
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
            if done is not None:
                target = "assessments:plan" if done.may_proceed else "assessments:workspace"
                return redirect(target, pk=assignment.pk)
        else:
            messages.error(request, _("Judge the evidence of every unit and give your recommendation with a reason."))
    answers = _apl02_items(application, units)
    plan = assignment.plan_or_none()
    return render(
        request,
        "assessments/assessor/evidence_review.html",
        {
            "assignment": assignment,
            "application": application,
            "rows": [
                {"unit": unit, "form": f, "answers": answers[unit["code"]]} for unit, f in zip(units, formset, strict=True)
            ],
            "formset": formset,
            "form": form,
            "documents": current_documents(application).filter(kind="requirement"),
            "locked": bool(plan and plan.is_agreed),
        },
    )


@require_http_methods(["GET", "POST"])
@assessor_only
def plan(request, pk):
    assignment, redirect_response = _declared_assignment(request, pk)
    if redirect_response:
        return redirect_response
    units = candidate_units(assignment.application)
    current = assignment.plan_or_none()
    schedule = assignment.schedule
    existing = {u.unit_code: u for u in current.units.all()} if current else {}
    initial = [
        {
            "code": unit["code"],
            "methods": existing[unit["code"]].methods if unit["code"] in existing else [],
            "evidence_to_collect": existing[unit["code"]].evidence_to_collect if unit["code"] in existing else "",
        }
        for unit in units
    ]
    formset = PlanUnitFormSet(request.POST or None, initial=initial, prefix="units")
    form = PlanForm(
        request.POST or None,
        initial={
            "date": current.date if current else schedule.date,
            "start_time": current.start_time if current else schedule.start_time,
            "tuk": current.tuk_id if current else schedule.tuk_id,
            "notes": current.notes if current else "",
        },
    )
    if request.method == "POST":
        if formset.is_valid() and form.is_valid():
            done = attempt(
                request,
                services.plan_save,
                _("Plan saved and sent to the candidate for agreement."),
                actor=request.user,
                assignment=assignment,
                units={
                    f.cleaned_data["code"]: (f.cleaned_data["methods"], f.cleaned_data["evidence_to_collect"])
                    for f in formset
                },
                **form.cleaned_data,
            )
            if done is not None:
                return redirect("assessments:workspace", pk=assignment.pk)
        else:
            messages.error(request, _("Choose at least one method for every unit (9.3.1)."))
    return render(
        request,
        "assessments/assessor/plan.html",
        {
            "assignment": assignment,
            "plan": current,
            "form": form,
            "formset": formset,
            "rows": list(zip(units, formset, strict=True)),
            "review": assignment.evidence_review_or_none(),
        },
    )


@require_GET
@assessor_only
def results(request, pk):
    assignment, redirect_response = _declared_assignment(request, pk)
    if redirect_response:
        return redirect_response
    record = assignment.record_or_none()
    plan = assignment.plan_or_none()
    context = {
        "assignment": assignment,
        "plan": plan,
        "record": record,
        "editable": bool(plan and plan.is_agreed) and not (record and record.is_submitted),
    }
    if record is not None:
        context.update(record_context(record))
        if not record.is_submitted and context["preview"]:
            context["submit_form"] = SubmitRecordForm(initial={"expected": context["preview"]})
    else:
        context["units"] = units_with_results(None, candidate_units(assignment.application))
    return render(request, "assessments/assessor/results.html", context)


@require_http_methods(["GET", "POST"])
@assessor_only
def unit_result(request, pk, position):
    assignment, redirect_response = _declared_assignment(request, pk)
    if redirect_response:
        return redirect_response
    units = candidate_units(assignment.application)
    if not 1 <= position <= len(units):
        raise Http404
    unit = units[position - 1]
    record = assignment.record_or_none()
    existing = record.units.filter(unit_code=unit["code"]).first() if record else None
    plan_unit = None
    current_plan = assignment.plan_or_none()
    if current_plan is not None:
        plan_unit = current_plan.units.filter(unit_code=unit["code"]).first()
    element_verdicts = {e.element_index: e.verdict for e in existing.elements.all()} if existing else {}
    form = UnitResultForm(
        request.POST or None,
        initial={
            "methods": existing.methods if existing else (plan_unit.methods if plan_unit else []),
            "verdict": existing.assessor_verdict if existing else None,
            "note": existing.note if existing else "",
        },
    )
    elements = ElementResultFormSet(
        request.POST or None,
        initial=[{"index": e["index"], "verdict": element_verdicts.get(e["index"])} for e in unit["elements"]],
        prefix="elements",
    )
    evidence = EvidenceItemFormSet(
        request.POST or None,
        initial=[
            {f: getattr(item, f) for f in ("description", "valid", "authentic", "current", "sufficient", "note")}
            for item in (existing.evidence.all() if existing else [])
        ],
        prefix="evidence",
    )
    if request.method == "POST":
        if form.is_valid() and elements.is_valid() and evidence.is_valid():
            saved = attempt(
                request,
                services.unit_result_save,
                actor=request.user,
                assignment=assignment,
                unit_code=unit["code"],
                methods=form.cleaned_data["methods"],
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
                elements={f.cleaned_data["index"]: f.cleaned_data["verdict"] for f in elements},
                evidence=[f.cleaned_data for f in evidence if f.cleaned_data],
            )
            if saved is not None:
                if saved.downgraded:
                    messages.warning(
                        request,
                        _("Unit %(code)s is recorded as BK: an element is BK or an evidence item does not meet all "
                          "four VATM rules (9.3.4).") % {"code": unit["code"]},
                    )
                else:
                    messages.success(request, _("Unit %(code)s saved.") % {"code": unit["code"]})
                if position < len(units) and "next" in request.POST:
                    return redirect("assessments:unit-result", pk=assignment.pk, position=position + 1)
                return redirect("assessments:results", pk=assignment.pk)
        else:
            messages.error(request, _("Choose the methods used and K or BK for the unit and each element."))
    return render(
        request,
        "assessments/assessor/unit_result.html",
        {
            "assignment": assignment,
            "unit": unit,
            "position": position,
            "count": len(units),
            "form": form,
            "elements": list(zip(unit["elements"], elements, strict=True)),
            "element_formset": elements,
            "evidence": evidence,
            "plan_unit": plan_unit,
            "locked": bool(record and record.is_submitted),
        },
    )


@require_POST
@assessor_only
def submit(request, pk):
    assignment = assignment_for_assessor(request.user, pk)
    form = SubmitRecordForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.record_submit,
            _("Results and recommendation submitted to the LSP."),
            actor=request.user,
            assignment=assignment,
            follow_up=form.cleaned_data["follow_up"],
            note=form.cleaned_data["note"],
            expected=form.cleaned_data["expected"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:results", pk=assignment.pk)
