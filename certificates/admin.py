"""The admin edits who signs and how certificate numbers look; the records are read-only here
(every change to them goes through the portal's services, which audit it)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lsp.admin import ReadOnlyAdmin

from .models import (
    Appeal,
    Certificate,
    CertificateSeries,
    Decision,
    DecisionLetter,
    SanctionCase,
    SanctionPolicy,
    Signatory,
    Surveillance,
    TechnicalMeeting,
)


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "signs_certificates", "active", "order"]
    list_editable = ["signs_certificates", "active", "order"]
    list_filter = ["active", "signs_certificates"]

    def has_delete_permission(self, request, obj=None):
        return False  # printed on issued certificates: deactivate instead


@admin.register(CertificateSeries)
class CertificateSeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kbli", "kbji", "level", "restart_each_year", "example"]
    readonly_fields = ["example"]

    @admin.display(description=_("example number"))
    def example(self, obj):
        return obj.preview() if obj.pk else "—"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SanctionPolicy)
class SanctionPolicyAdmin(admin.ModelAdmin):
    """How each scheme lets the LSP sanction a holder (9.5.2); a scheme without a row uses the defaults."""

    list_display = ["scheme", "clause", "direct_suspension_allowed", "direct_revocation_allowed", "warnings_before_revocation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TechnicalMeeting)
class TechnicalMeetingAdmin(ReadOnlyAdmin):
    list_display = ["date", "place", "chair", "status", "minutes_number"]
    list_filter = ["status"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "recommendation", "outcome", "decided_by", "decided_at", "communicated_at"]
    list_filter = ["outcome"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "signatory_name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "scheme_name", "issue_date", "expiry_date", "status"]
    list_filter = ["status", "scheme"]
    search_fields = ["number", "holder_name", "blanko_number", "bnsp_registration_number"]
    exclude = ["verification_code"]


@admin.register(Surveillance)
class SurveillanceAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "period", "due_date", "status", "method", "outcome"]
    list_filter = ["status", "outcome", "method"]


@admin.register(SanctionCase)
class SanctionCaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "certificate", "status", "opened_at"]
    list_filter = ["status"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "status", "due_date", "outcome"]
    list_filter = ["status", "outcome"]
