"""The candidate's pages: their schedule, the plan to agree (9.2.4, FR.AK.01), the result, feedback (FR.AK.03)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import attempt, form_errors_to_messages

from .. import services
from ..forms import AgreementForm, FeedbackForm
from ..models import FEEDBACK_QUESTIONS
from ..selectors import assignment_for_candidate, assignments_for_candidate
from .common import assignment_stages, units_with_results

candidate_only = role_required(Role.APPLICANT)


@require_GET
@candidate_only
def candidate_index(request):
    return render(
        request, "assessments/candidate/assessment_list.html", {"assignments": assignments_for_candidate(request.user)}
    )


@require_GET
@candidate_only
def candidate_detail(request, pk):
    assignment = assignment_for_candidate(request.user, pk)
    plan = assignment.plan_or_none()
    record = assignment.record_or_none()
    feedback = assignment.feedback_or_none()
    submitted = bool(record and record.is_submitted)
    context = {
        "assignment": assignment,
        "schedule": assignment.schedule,
        "plan": plan,
        "record": record if submitted else None,
        "stages": assignment_stages(assignment),
        "feedback": feedback,
        "feedback_answers": [(text, feedback.answers.get(code)) for code, text in FEEDBACK_QUESTIONS] if feedback else [],
    }
    if plan is not None and not plan.is_agreed and assignment.is_active:
        context["agreement_form"] = AgreementForm(initial={"version": plan.version})
    if submitted:
        context["units"] = units_with_results(record)
        if feedback is None:
            context["feedback_form"] = FeedbackForm()
    return render(request, "assessments/candidate/assessment_detail.html", context)


@require_POST
@candidate_only
def candidate_agree(request, pk):
    assignment = assignment_for_candidate(request.user, pk)
    form = AgreementForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.plan_agree,
            _("You agreed to the assessment plan (FR.AK.01)."),
            actor=request.user,
            assignment=assignment,
            version=form.cleaned_data["version"],
            confidentiality=form.cleaned_data["confidentiality"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:candidate-detail", pk=assignment.pk)


@require_POST
@candidate_only
def candidate_feedback(request, pk):
    assignment = assignment_for_candidate(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.feedback_submit,
            _("Thank you for your feedback (FR.AK.03)."),
            actor=request.user,
            assignment=assignment,
            answers=form.answers(),
            comment=form.cleaned_data["comment"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:candidate-detail", pk=assignment.pk)
