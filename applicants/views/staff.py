"""LSP staff: the review queue, one application's review (9.1.5, 9.1.6), and payments (8)."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from lsp.audit import audit_history
from lsp.pagecache import shared_fragment
from lsp.permissions import staff_required
from lsp.views.helpers import attempt, form_errors_to_messages, paginate
from schemes.signals import CATALOGUE

from .. import services
from ..forms import (
    AcceptForm,
    DocumentReviewForm,
    PaymentRejectForm,
    QueueFilterForm,
    RejectForm,
    RevisionForm,
    SponsorForm,
)
from ..models import Document
from ..selectors import application_for_staff, review_queue
from ..signals import APPLICATIONS
from ..snapshot import application_scheme, assessment_items


@require_GET
@staff_required
def queue(request):
    """Submitted applications, oldest first; filter by scheme, status, payment and date; search by name.

    The list is the same for every staff user, so it is rendered once per change of the applications
    or the schemes (``lsp.pagecache.shared_fragment``, retired by ``applicants.signals``)."""

    def listing():
        form = QueueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        applications = review_queue(
            scheme=filters.get("scheme"),
            status=filters.get("status") or None,
            payment=filters.get("payment") or None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            search=filters.get("q", ""),
        )
        context = {"form": form, "page": paginate(request, applications, per_page=50)}
        return render_to_string("applicants/staff/_queue_list.html", context, request=request)

    html = shared_fragment(request, "staff-application-queue", (APPLICATIONS, CATALOGUE), listing)
    return render(request, "applicants/staff/queue.html", {"listing": html})


@require_GET
@staff_required
def review(request, pk):
    application = application_for_staff(request.user, pk)
    scheme_data = application_scheme(application)
    documents = list(
        application.documents.exclude(kind=Document.Kind.PAYMENT_PROOF)
        .select_related("reviewed_by")
        .order_by("uploaded_at")
    )
    requirements = [
        {
            "requirement": requirement,
            "files": [d for d in documents if d.requirement_id == requirement["id"] and d.is_current],
            "replaced": [d for d in documents if d.requirement_id == requirement["id"] and not d.is_current],
        }
        for requirement in scheme_data["required_documents"]
    ]
    answers = {(a.unit_code, a.element_index): a for a in application.answers.prefetch_related("evidence")}
    invoice = application.invoice_or_none
    return render(
        request,
        "applicants/staff/review.html",
        {
            "application": application,
            "scheme_data": scheme_data,
            "requirements": requirements,
            "evidence": [d for d in documents if d.kind == Document.Kind.EVIDENCE and d.is_current],
            "items": [{**item, "answer": answers.get(item["key"])} for item in assessment_items(scheme_data)],
            "review_form": DocumentReviewForm(),
            "revision_form": RevisionForm(),
            "accept_form": AcceptForm(),
            "reject_form": RejectForm(),
            "acceptance_problems": services.acceptance_problems(application),
            "invoice": invoice,
            "proofs": invoice.proofs.select_related("document", "reviewed_by") if invoice else [],
            "payment_reject_form": PaymentRejectForm(),
            "sponsor_form": SponsorForm(),
            "history": audit_history(application)[:50],
        },
    )


@require_POST
@staff_required
def review_document(request, pk, uuid):
    application = application_for_staff(request.user, pk)
    document = get_object_or_404(application.documents, uuid=uuid)
    form = DocumentReviewForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.document_review,
            _("Verdict saved for %(name)s.") % {"name": document.original_name},
            actor=request.user,
            document=document,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("applicants:review", application.pk)


def _outcome_view(form_class, service, success, arguments):
    @require_POST
    @staff_required
    def view(request, pk):
        application = application_for_staff(request.user, pk)
        form = form_class(request.POST)
        if form.is_valid():
            attempt(
                request, service, success, actor=request.user, application=application, **arguments(form.cleaned_data)
            )
        else:
            form_errors_to_messages(request, form)
        return redirect("applicants:review", application.pk)

    view.__name__ = service.__name__
    return view


request_revision = _outcome_view(
    RevisionForm,
    services.application_request_revision,
    _("The application was sent back for revision; the applicant has been emailed."),
    lambda data: {"note": data["note"], "sections": data["sections"], "due": data["due"]},
)
accept = _outcome_view(
    AcceptForm,
    services.application_accept,
    _("The application was accepted and the invoice issued; the applicant has been emailed."),
    lambda data: {"payment_due": data["payment_due"]},
)
reject = _outcome_view(
    RejectForm,
    services.application_reject,
    _("The application was rejected; the applicant has been emailed."),
    lambda data: {"reason": data["reason"]},
)
payment_verify = _outcome_view(
    forms.Form,  # nothing to fill in: the button is the decision
    services.payment_verify,
    _("Payment verified; the applicant has been emailed."),
    lambda data: {},
)
payment_reject = _outcome_view(
    PaymentRejectForm,
    services.payment_reject,
    _("The transfer proof was refused; the applicant has been emailed."),
    lambda data: {"reason": data["reason"]},
)
payment_sponsor = _outcome_view(
    SponsorForm,
    services.payment_mark_sponsored,
    _("The fee is recorded as sponsored; the applicant has been emailed."),
    lambda data: {
        "sponsor_type": data["sponsor_type"],
        "sponsor_name": data["sponsor_name"],
        "reference": data["reference"],
    },
)
