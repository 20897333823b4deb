"""Appeals (9.9): the candidate files and follows their appeal; staff acknowledge receipt, form the appeal team
and carry out its decision; the team decides. Each view states who may use it; others' appeals are 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lsp.audit import audit_history
from lsp.models import Role
from lsp.permissions import role_required, staff_required
from lsp.views.helpers import attempt, form_errors_to_messages, private_file_response

from .. import services
from ..forms import (
    AppealDecisionForm,
    AppealForm,
    AppealLetterForm,
    AppealPanelForm,
    ReassessmentForm,
    WithdrawAppealForm,
)
from ..models import Appeal, Decision
from ..selectors import appeal_for_viewer, appeal_of_appellant, appeals_for, holder_decisions
from ..services._common import is_appeal_team, is_staff
from ..services.appeals import appeal_refusal, panel_conflict_reason

applicant_only = role_required(Role.APPLICANT)
staff_or_appeal_team = role_required(Role.STAFF, Role.ADMIN, Role.APPEAL_TEAM)
appeal_team_only = role_required(Role.APPEAL_TEAM)
any_role = role_required(*Role.values)


# --- the candidate ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@applicant_only
def appeal_file(request, pk):
    """FR.AK.04 for one of the candidate's own decisions; the deadline (9.9.2) is shown, a late appeal refused."""
    decision = get_object_or_404(holder_decisions(request.user), pk=pk)
    existing = decision.appeals.exclude(status=Appeal.Status.WITHDRAWN).first()
    if existing is not None:
        return redirect("certificates:my-appeal", pk=existing.pk)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            appeal = attempt(
                request, services.appeal_file, _("Your appeal has been filed. The LSP will acknowledge its receipt."),
                actor=request.user, decision=decision, reasons=data["reasons"],
                process_explained=data["process_explained"], discussed_with_assessor=data["discussed_with_assessor"],
                involves_other_person=data["involves_other_person"], other_person=data["other_person"],
                files=data["attachments"],
            )
            if appeal is not None:
                return redirect("certificates:my-appeal", pk=appeal.pk)
        else:
            form_errors_to_messages(request, form)
    return render(
        request,
        "certificates/appeals/file.html",
        {"decision": decision, "form": form, "refusal": appeal_refusal(decision), "deadline": decision.appeal_deadline},
    )


@require_GET
@applicant_only
def my_appeal(request, pk):
    appeal = appeal_of_appellant(request.user, pk)
    return render(
        request,
        "certificates/appeals/mine.html",
        {"appeal": appeal, "attachments": appeal.attachments.all(), "withdraw_form": WithdrawAppealForm()},
    )


@require_POST
@applicant_only
def my_appeal_withdraw(request, pk):
    appeal = appeal_of_appellant(request.user, pk)
    form = WithdrawAppealForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.appeal_withdraw, _("Your appeal has been withdrawn."), actor=request.user, appeal=appeal,
            reason=form.cleaned_data["reason"],
        )
    return redirect("certificates:my-appeal", pk=appeal.pk)


@require_GET
@any_role
def appeal_attachment(request, pk, uuid):
    """An attachment: the candidate who filed the appeal, staff, or a member of its team; anyone else 404."""
    appeal = Appeal.objects.filter(pk=pk).first()
    if appeal is None:
        raise Http404
    allowed = appeal.appellant_id == request.user.pk or is_staff(request.user) or (
        is_appeal_team(request.user) and appeal.panel_members.filter(member=request.user).exists()
    )
    attachment = appeal.attachments.filter(uuid=uuid).first() if allowed else None
    if attachment is None:
        raise Http404
    return private_file_response(
        attachment.storage_name, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- staff and the appeal team ---------------------------------------------------------------------


@require_GET
@staff_or_appeal_team
def appeal_list(request):
    return render(
        request,
        "certificates/appeals/list.html",
        {"appeals": appeals_for(request.user)[:200], "is_staff": is_staff(request.user)},
    )


@require_GET
@staff_or_appeal_team
def appeal_detail(request, pk):
    """The appeal with its due date and working days left (9.9.6); staff act on it, the team decides it."""
    appeal = appeal_for_viewer(request.user, pk)
    user = request.user
    decision = Decision.objects.select_related("meeting", "record__assessor__user", "decided_by").get(
        pk=appeal.decision_id
    )
    panel = list(appeal.panel_members.select_related("member", "appointed_by"))
    on_panel = any(seat.member_id == user.pk for seat in panel) and is_appeal_team(user)
    staff = is_staff(user)
    panel_form = AppealPanelForm(initial={"members": [seat.member_id for seat in panel]}) if staff else None
    candidates = []
    if panel_form is not None:
        for member in panel_form.fields["members"].queryset:
            candidates.append({"user": member, "conflict": panel_conflict_reason(member, appeal)})
    return render(
        request,
        "certificates/appeals/detail.html",
        {
            "appeal": appeal,
            "decision": decision,
            "panel": panel,
            "on_panel": on_panel,
            "is_staff": staff,
            "attachments": appeal.attachments.all(),
            "panel_candidates": candidates,
            "decision_form": AppealDecisionForm() if on_panel and appeal.status == Appeal.Status.RECEIVED else None,
            "letter_form": AppealLetterForm() if staff else None,
            "reassessment_form": ReassessmentForm(appeal=appeal)
            if staff and appeal.outcome == Appeal.Outcome.REASSESSMENT
            else None,
            "certificate": decision.certificate_or_none(),
            "letter": appeal.letter_or_none(),
            "today": timezone.localdate(),
            "events": audit_history(appeal)[:15] if staff else [],
        },
    )


@require_POST
@staff_required
def appeal_receive(request, pk):
    appeal = appeal_for_viewer(request.user, pk)
    attempt(
        request, services.appeal_receive, _("Receipt acknowledged. The decision is due on the date shown."),
        actor=request.user, appeal=appeal,
    )
    return redirect("certificates:appeal-detail", pk=appeal.pk)


@require_POST
@staff_required
def appeal_panel(request, pk):
    appeal = appeal_for_viewer(request.user, pk)
    form = AppealPanelForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.appeal_panel_form, _("The appeal team has been formed. Its members have been told."),
            actor=request.user, appeal=appeal, members=list(form.cleaned_data["members"]),
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:appeal-detail", pk=appeal.pk)


@require_POST
@appeal_team_only
def appeal_decide(request, pk):
    appeal = appeal_for_viewer(request.user, pk)
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.appeal_decide, _("The appeal has been decided. The decision is binding (9.9.7)."),
            actor=request.user, appeal=appeal, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:appeal-detail", pk=appeal.pk)


@require_POST
@staff_required
def appeal_issue(request, pk):
    """The SK based on the appeal decision, and the certificate it grants."""
    appeal = appeal_for_viewer(request.user, pk)
    form = AppealLetterForm(request.POST)
    if form.is_valid():
        certificate = attempt(
            request, services.appeal_certificate_issue, _("Surat Keputusan and certificate issued."),
            actor=request.user, appeal=appeal, signatory=form.cleaned_data["signatory"], date=form.cleaned_data["date"],
        )
        if certificate is not None:
            return redirect("certificates:certificate-detail", pk=certificate.pk)
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:appeal-detail", pk=appeal.pk)


@require_POST
@staff_required
def appeal_reassess(request, pk):
    appeal = appeal_for_viewer(request.user, pk)
    form = ReassessmentForm(request.POST, appeal=appeal)
    if form.is_valid():
        attempt(
            request, services.appeal_reassessment_assign,
            _("The candidate is on the schedule with the new assessor, who has been asked to declare."),
            actor=request.user, appeal=appeal, schedule=form.cleaned_data["schedule"],
            assessor=form.cleaned_data["assessor"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:appeal-detail", pk=appeal.pk)
