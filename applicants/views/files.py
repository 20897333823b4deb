"""Files leave the private storage only through here, after ``can_view_*`` said yes (7.1.3)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from lsp.models import Organisation, Role
from lsp.permissions import role_required
from lsp.views.helpers import attempt, form_errors_to_messages, private_file_response

from .. import services
from ..forms import PaymentProofForm
from ..permissions import is_lsp_staff
from ..selectors import application_for_viewer, application_of_owner, document_for_viewer
from ..services.pdfs import PDF_FORMS

# Anyone logged in may ask; the selectors answer 404 unless the viewer may see the file.
any_role = role_required(*Role.values)


@require_GET
@any_role
def document_download(request, uuid):
    """An uploaded file. Images may be shown inline (they were re-encoded); PDFs always download."""
    document = document_for_viewer(request.user, uuid)
    inline = request.GET.get("inline") == "1" and document.is_image
    return private_file_response(
        document.storage_name, filename=document.original_name, content_type=document.content_type, inline=inline
    )


@require_GET
@any_role
def application_pdf(request, pk, form):
    if form not in PDF_FORMS:
        raise Http404
    application = application_for_viewer(request.user, pk)
    name = getattr(application, f"{form}_pdf")
    if not name:
        messages.info(request, _("The PDF is being prepared. Try again in a minute."))
        if application.applicant_id == request.user.pk:
            return redirect("applicants:detail", pk)
        if is_lsp_staff(request.user):
            return redirect("applicants:review", pk)
        return redirect("dashboard")
    label = PDF_FORMS[form][1]
    filename = f"{label}-{(application.reference or str(application.pk)).replace('/', '-')}.pdf"
    return private_file_response(name, filename=filename, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@role_required(Role.APPLICANT)
def invoice(request, pk):
    """The invoice of an accepted application, the LSP's bank account, and the transfer proof upload."""
    application = application_of_owner(request.user, pk)
    invoice = application.invoice_or_none
    if invoice is None:
        raise Http404
    form = PaymentProofForm()
    if request.method == "POST":
        form = PaymentProofForm(request.POST, request.FILES)
        if form.is_valid():
            done = attempt(
                request,
                services.payment_proof_upload,
                _("Transfer proof uploaded. The LSP will verify it."),
                actor=request.user,
                application=application,
                uploaded_file=form.cleaned_data["file"],
            )
            if done is not None:
                return redirect("applicants:invoice", application.pk)
        else:
            form_errors_to_messages(request, form)
    return render(
        request,
        "applicants/invoice.html",
        {
            "application": application,
            "invoice": invoice,
            "proofs": invoice.proofs.select_related("document"),
            "organisation": Organisation.current(),
            "form": form,
        },
    )
