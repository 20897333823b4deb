from django.contrib import admin

from lsp.admin import ReadOnlyAdmin

from .models import (
    AssessmentFeedback,
    AssessmentPlan,
    AssessmentRecord,
    Assessor,
    Assignment,
    ConflictDeclaration,
    EvidenceReview,
    Schedule,
    Tuk,
    TukVerification,
    UnitResult,
)


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):
    list_display = ["user", "met_number", "registration_valid_until", "is_active"]
    list_filter = ["is_active", "schemes"]
    search_fields = ["user__full_name", "user__email", "met_number"]
    filter_horizontal = ["schemes"]
    autocomplete_fields = ["user"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead; assignments point at assessors


class TukVerificationInline(admin.TabularInline):
    model = TukVerification
    extra = 0
    readonly_fields = ["verified_on", "valid_until", "verified_by", "checklist_notes", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # verifications are recorded by staff through the portal (audited)


@admin.register(Tuk)
class TukAdmin(admin.ModelAdmin):
    list_display = ["name", "tuk_type", "city", "contact_person", "is_active"]
    list_filter = ["tuk_type", "is_active"]
    search_fields = ["name", "city"]
    inlines = [TukVerificationInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ["number", "scheme", "tuk", "date", "start_time", "capacity", "status"]
    list_filter = ["status", "scheme"]
    search_fields = ["number", "tuk__name"]
    date_hierarchy = "date"


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "application", "assessor", "status", "declared_at"]
    list_filter = ["status"]
    search_fields = ["application__full_name", "application__reference", "schedule__number"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "application", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]


class UnitResultInline(admin.TabularInline):
    model = UnitResult
    fields = ["position", "unit_code", "methods", "assessor_verdict", "verdict", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(AssessmentRecord)
class AssessmentRecordAdmin(ReadOnlyAdmin):
    list_display = ["application", "assessor", "status", "recommendation", "submitted_at", "reopen_count"]
    list_filter = ["status", "recommendation"]
    search_fields = ["application__full_name", "application__reference"]
    inlines = [UnitResultInline]


@admin.register(AssessmentPlan)
class AssessmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "date", "tuk", "status", "version", "agreed_at"]
    list_filter = ["status"]


@admin.register(EvidenceReview)
class EvidenceReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "outcome", "reviewed_at"]
    list_filter = ["outcome"]


@admin.register(AssessmentFeedback)
class AssessmentFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "submitted_at"]
