"""Sanction cases (9.5) for staff: open a case on a certificate, warn, suspend, reinstate, revoke, close, and record
the return of the certificate (9.8.4). GET shows, POST acts; every action goes through one service."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lsp.audit import audit_history
from lsp.permissions import staff_required
from lsp.views.helpers import attempt, form_errors_to_messages

from .. import services
from ..forms import CloseCaseForm, ReturnForm, SanctionDecisionForm, SanctionOpenForm, WarningForm
from ..models import SanctionStep
from ..selectors import certificate_for_staff, sanction_case_for_staff, sanction_cases_for_staff
from ..services.sanctions import sanction_policy_for


@require_GET
@staff_required
def sanction_list(request):
    active_only = request.GET.get("all") != "1"
    return render(
        request,
        "certificates/sanctions/list.html",
        {"cases": sanction_cases_for_staff(active_only=active_only)[:200], "active_only": active_only},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def sanction_open(request, pk):
    certificate = certificate_for_staff(request.user, pk)
    form = SanctionOpenForm(request.POST or None, scheme=certificate.scheme)
    if request.method == "POST":
        if form.is_valid():
            case = attempt(
                request, services.sanction_case_open, _("Sanction case opened."), actor=request.user,
                certificate=certificate, **form.cleaned_data,
            )
            if case is not None:
                return redirect("certificates:sanction-detail", pk=case.pk)
        else:
            form_errors_to_messages(request, form)
    return render(
        request,
        "certificates/sanctions/open.html",
        {"certificate": certificate, "form": form, "policy": sanction_policy_for(certificate.scheme)},
    )


@require_GET
@staff_required
def sanction_detail(request, pk):
    case = sanction_case_for_staff(request.user, pk)
    steps = list(case.steps.select_related("created_by", "return_recorded_by", "lifts"))
    for step in steps:
        step.return_form = ReturnForm(prefix=f"return-{step.pk}") if step.awaits_return else None
    return render(
        request,
        "certificates/sanctions/detail.html",
        {
            "case": case,
            "certificate": case.certificate,
            "steps": steps,
            "policy": sanction_policy_for(case.certificate.scheme),
            "warning_form": WarningForm(prefix="warn"),
            "suspend_form": SanctionDecisionForm(prefix="suspend"),
            "reinstate_form": SanctionDecisionForm(prefix="reinstate"),
            "revoke_form": SanctionDecisionForm(prefix="revoke"),
            "close_form": CloseCaseForm(prefix="close"),
            "events": audit_history(case)[:15],
        },
    )


def _decision_view(service, message, prefix):
    @require_POST
    @staff_required
    def view(request, pk):
        case = sanction_case_for_staff(request.user, pk)
        form = SanctionDecisionForm(request.POST, prefix=prefix)
        if form.is_valid():
            attempt(request, service, message, actor=request.user, case=case, **form.cleaned_data)
        else:
            form_errors_to_messages(request, form)
        return redirect("certificates:sanction-detail", pk=case.pk)

    view.__name__ = service.__name__
    return view


sanction_suspend = _decision_view(
    services.certificate_suspend, _("Certificate suspended. The public verification page now says so."), "suspend"
)
sanction_reinstate = _decision_view(services.certificate_reinstate, _("Certificate reinstated."), "reinstate")
sanction_revoke = _decision_view(
    services.certificate_revoke, _("Certificate revoked. The public verification page now says so."), "revoke"
)


@require_POST
@staff_required
def sanction_warn(request, pk):
    case = sanction_case_for_staff(request.user, pk)
    form = WarningForm(request.POST, prefix="warn")
    if form.is_valid():
        attempt(request, services.sanction_warn, _("Warning recorded and emailed to the holder."), actor=request.user,
                case=case, **form.cleaned_data)
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:sanction-detail", pk=case.pk)


@require_POST
@staff_required
def sanction_close(request, pk):
    case = sanction_case_for_staff(request.user, pk)
    form = CloseCaseForm(request.POST, prefix="close")
    if form.is_valid():
        attempt(request, services.sanction_case_close, _("Case closed."), actor=request.user, case=case,
                reason=form.cleaned_data["reason"])
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:sanction-detail", pk=case.pk)


@require_POST
@staff_required
def sanction_return(request, pk, step_pk):
    case = sanction_case_for_staff(request.user, pk)
    step = get_object_or_404(SanctionStep, pk=step_pk, case=case)
    form = ReturnForm(request.POST, prefix=f"return-{step.pk}")
    if form.is_valid():
        attempt(request, services.certificate_return_record, _("Return of the certificate recorded."),
                actor=request.user, step=step, **form.cleaned_data)
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:sanction-detail", pk=case.pk)

