"""The admin edits who signs and how certificate numbers look; the records are read-only here
(every change to them goes through the portal's services, which audit it)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificateSeries, Decision, DecisionLetter, Signatory, TechnicalMeeting


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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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
