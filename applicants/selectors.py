"""Reads of applications, always scoped to the person asking.

An object outside the user's scope is not found (404), never "forbidden", so nothing
about other applicants leaks.
"""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lsp.models import Role

from .models import Application, Document, Invoice, Question
from .permissions import can_view_application, can_view_document, is_lsp_staff

S = Application.Status


def applications_of(user):
    """The applicant's own applications, newest first."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("scheme", "alternative", "invoice")
        .order_by("-created_at", "-id")
    )


def application_of_owner(user, pk):
    """One of the user's own applications, or 404."""
    return get_object_or_404(applications_of(user), pk=pk)


def application_for_viewer(user, pk):
    """An application the user may see (owner, staff, or a registered rule), or 404."""
    application = get_object_or_404(Application.objects.select_related("scheme", "applicant", "alternative"), pk=pk)
    if not can_view_application(user, application):
        raise Http404
    return application


def application_for_staff(user, pk):
    if not is_lsp_staff(user):
        raise Http404
    return get_object_or_404(Application.objects.select_related("scheme", "applicant", "alternative"), pk=pk)


def document_for_viewer(user, uuid):
    document = get_object_or_404(Document.objects.select_related("application"), uuid=uuid)
    if not can_view_document(user, document):
        raise Http404
    return document


def current_documents(application):
    return application.documents.filter(superseded_at__isnull=True).exclude(kind=Document.Kind.PAYMENT_PROOF)


REVIEW_STATUSES = (S.SUBMITTED, S.REVISION_REQUESTED, S.ACCEPTED, S.REJECTED, S.WITHDRAWN)


def review_queue(*, scheme=None, status=None, payment=None, date_from=None, date_to=None, search=""):
    """Submitted applications for staff (9.1.5): oldest waiting first.

    ``status`` is an application status; ``payment`` an invoice status; dates bound the
    last submission (local dates); ``search`` matches the name, NIK, email or number.
    """
    queryset = (
        Application.objects.filter(submitted_at__isnull=False)
        .select_related("scheme", "applicant", "invoice")
        .defer("snapshot")  # 2.5-5 kB of JSON per row that the queue never shows
    )
    if scheme is not None:
        queryset = queryset.filter(scheme=scheme)
    if status:
        queryset = queryset.filter(status=status)
    if payment:
        queryset = queryset.filter(invoice__status=payment)
    if date_from:
        queryset = queryset.filter(last_submitted_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(last_submitted_at__date__lte=date_to)
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(
            Q(full_name__icontains=search)
            | Q(applicant__full_name__icontains=search)
            | Q(applicant__email__icontains=search)
            | Q(nik=search)
            | Q(reference__icontains=search)
        )
    return queryset.order_by("last_submitted_at", "id")


def staff_counts():
    """What waits for staff: the numbers on the staff dashboard."""
    counts = Application.objects.aggregate(
        to_review=Count("pk", filter=Q(status=S.SUBMITTED)),
        in_revision=Count("pk", filter=Q(status=S.REVISION_REQUESTED)),
    )
    counts["proofs_to_verify"] = Invoice.objects.filter(status=Invoice.Status.PROOF_SUBMITTED).count()
    counts["awaiting_payment"] = Invoice.objects.filter(
        status__in=[Invoice.Status.UNPAID, Invoice.Status.PROOF_REJECTED]
    ).count()
    counts["questions"] = Question.objects.filter(status=Question.Status.AWAITING_LSP).count()
    counts["ready"] = applications_ready_for_assessment().count()
    return counts


def applications_ready_for_assessment(scheme=None):
    """Accepted (asesi) and paid or sponsored: the ones the assessment stage may schedule (9.2)."""
    queryset = Application.objects.filter(
        status=S.ACCEPTED, invoice__status__in=Invoice.SETTLED_STATUSES
    ).select_related("scheme", "applicant", "invoice")
    if scheme is not None:
        queryset = queryset.filter(scheme=scheme)
    return queryset.order_by("decided_at", "id")


def questions_for(user):
    """Staff see every thread; an applicant only their own."""
    queryset = Question.objects.select_related("applicant", "scheme", "application")
    if is_lsp_staff(user):
        return queryset
    if user.has_role(Role.APPLICANT):
        return queryset.filter(applicant=user)
    return queryset.none()


def question_for_viewer(user, pk):
    return get_object_or_404(questions_for(user).prefetch_related("messages__author"), pk=pk)


def application_progress(application, scheme_data=None):
    """Which parts of the application are complete: {section: True/False}."""
    from .snapshot import application_scheme, assessment_items

    scheme_data = scheme_data or application_scheme(application)
    present = set(
        application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True).values_list(
            "requirement_id", flat=True
        )
    )
    answered = set(application.answers.values_list("unit_code", "element_index"))
    section = Application.Section
    return {
        section.PERSONAL: all(getattr(application, name) not in (None, "") for name in Application.PERSONAL_REQUIRED),
        section.WORK: bool(application.work_institution),
        section.PURPOSE: bool(application.purpose and application.funding),
        section.DOCUMENTS: application.alternative_id is not None
        and all(item["id"] in present for item in scheme_data["required_documents"]),
        section.SELF_ASSESSMENT: all(item["key"] in answered for item in assessment_items(scheme_data)),
    }
