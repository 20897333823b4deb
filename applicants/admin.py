"""Read-only views of the records for administrators; every change goes through the portal's services."""

from django.contrib import admin

from lsp.admin import ReadOnlyAdmin

from .models import ApplicantProfile, Application, Document, Invoice, PaymentProof, Question, SelfAssessmentAnswer


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "full_name", "scheme", "status", "last_submitted_at"]
    list_filter = ["status", "scheme", "purpose", "funding"]
    search_fields = ["reference", "full_name", "nik", "applicant__email"]
    date_hierarchy = "created_at"


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "application",
        "kind",
        "content_type",
        "size",
        "review",
        "uploaded_at",
        "superseded_at",
    ]
    list_filter = ["kind", "review", "content_type"]
    exclude = ["storage_name"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "amount", "status", "due_date", "settled_at"]
    list_filter = ["status", "sponsor_type"]
    search_fields = ["number", "application__reference", "application__full_name"]


@admin.register(PaymentProof)
class PaymentProofAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "status", "submitted_at", "reviewed_at"]


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "user", "updated_at"]
    search_fields = ["full_name", "nik", "user__email"]


@admin.register(SelfAssessmentAnswer)
class SelfAssessmentAnswerAdmin(ReadOnlyAdmin):
    list_display = ["application", "unit_code", "element_index", "answer"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["subject", "applicant", "scheme", "status", "updated_at"]
    list_filter = ["status"]
