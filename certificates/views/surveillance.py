"""Surveillance (9.6): staff see what is due and overdue and record the method and outcome; the holder submits
their logbook or other evidence of continued practice."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from lsp.audit import audit_history
from lsp.models import Role
from lsp.permissions import role_required, staff_required
from lsp.views.helpers import attempt, form_errors_to_messages, private_file_response

from .. import services
from ..forms import SurveillanceEvidenceForm, SurveillanceRecordForm
from ..models import Surveillance
from ..selectors import surveillance_for_holder, surveillance_for_staff, surveillance_lists
from ..services._common import is_staff
from ..services.surveillance import current_surveillance

applicant_only = role_required(Role.APPLICANT)
any_role = role_required(*Role.values)


@require_GET
@staff_required
def surveillance_list(request):
    return render(
        request, "certificates/surveillance/list.html", {**surveillance_lists(), "today": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
@staff_required
def surveillance_detail(request, pk):
    """GET shows the holder's evidence; POST records the method, outcome and findings (9.6.3, 9.6.4)."""
    surveillance = surveillance_for_staff(request.user, pk)
    certificate = surveillance.certificate
    form = SurveillanceRecordForm(request.POST or None, scheme=certificate.scheme)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            recorded = attempt(
                request, services.surveillance_record, _("Surveillance recorded in the holder's record."),
                actor=request.user, surveillance=surveillance, method=data["method"], method_other=data["method_other"],
                outcome=data["outcome"], notes=data["notes"], ground=data["ground"], duty=data["duty"],
                follow_up_due=data["follow_up_due"],
            )
            if recorded is not None:
                if recorded.sanction_case_id:
                    return redirect("certificates:sanction-detail", pk=recorded.sanction_case_id)
                return redirect("certificates:surveillance-detail", pk=recorded.pk)
        else:
            form_errors_to_messages(request, form)
    return render(
        request,
        "certificates/surveillance/detail.html",
        {
            "surveillance": surveillance,
            "certificate": certificate,
            "files": surveillance.files.all(),
            "form": form if surveillance.is_open else None,
            "history": certificate.surveillances.exclude(pk=surveillance.pk).order_by("due_date", "id"),
            "events": audit_history(surveillance)[:10],
        },
    )


@require_http_methods(["GET", "POST"])
@applicant_only
def my_surveillance(request, pk):
    """The holder's own surveillance: GET shows it, POST submits the statement and logbook (9.6.3)."""
    surveillance = surveillance_for_holder(request.user, pk)
    form = SurveillanceEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            done = attempt(
                request, services.surveillance_evidence_submit,
                _("Thank you. The LSP will review your evidence and record the surveillance."),
                actor=request.user, surveillance=surveillance, statement=form.cleaned_data["statement"],
                files=form.cleaned_data["files"],
            )
            if done is not None:
                return redirect("certificates:my-surveillance", pk=surveillance.pk)
        else:
            form_errors_to_messages(request, form)
    current = current_surveillance(surveillance.certificate)
    return render(
        request,
        "certificates/surveillance/mine.html",
        {
            "surveillance": surveillance,
            "certificate": surveillance.certificate,
            "files": surveillance.files.all(),
            "form": form if current is not None and current.pk == surveillance.pk else None,
        },
    )


@require_GET
@any_role
def surveillance_file(request, pk, uuid):
    """A surveillance evidence file: the holder or staff; anyone else 404."""
    surveillance = Surveillance.objects.select_related("certificate").filter(pk=pk).first()
    if surveillance is None or not (
        surveillance.certificate.holder_id == request.user.pk or is_staff(request.user)
    ):
        raise Http404
    found = surveillance.files.filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return private_file_response(found.storage_name, filename=found.original_name, content_type=found.content_type)
