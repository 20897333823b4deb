"""Editing schemes in the Django admin.

Scheme page: approvers, units, prerequisite conditions and alternatives, documents and the
document's clauses as inlines. Elements are edited on the unit's page and performance criteria
(KUK) on the element's page, reached by the inlines' "change" links (Django has no nested inlines).
"""

import io
import zipfile

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import CheckboxSelectMultiple, Textarea
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lsp.errors import DomainError
from lsp.templatetags.lsp_tags import format_rupiah

from . import services
from .forms import PrerequisiteAlternativeFormSet, SameSchemeChoicesForm, SchemeImportForm, UnitFormSet
from .models import (
    SCHEME_SETTINGS_MODELS,
    Element,
    PerformanceCriterion,
    PrerequisiteAlternative,
    PrerequisiteCondition,
    RequiredDocument,
    Scheme,
    SchemeApprover,
    SchemeClause,
    Unit,
)

SMALL_TEXT = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 60})}}


def _scheme_id_from_url(request):
    # Inline choices are limited to the scheme being edited; on the "add" page it has no id yet.
    match = getattr(request, "resolver_match", None)
    return match.kwargs.get("object_id") if match else None


class SchemeApproverInline(admin.TabularInline):
    model = SchemeApprover
    extra = 0
    fields = ["order", "name", "position", "position_en"]


class UnitInline(admin.TabularInline):
    model = Unit
    formset = UnitFormSet
    extra = 1
    fields = ["order", "code", "title", "title_en", "standard_type"]
    show_change_link = True
    formfield_overrides = SMALL_TEXT


class PrerequisiteConditionInline(admin.TabularInline):
    model = PrerequisiteCondition
    extra = 1
    fields = ["order", "clause", "text", "text_en"]
    formfield_overrides = SMALL_TEXT


class PrerequisiteAlternativeForm(SameSchemeChoicesForm):
    same_scheme_fields = ("conditions",)


class PrerequisiteAlternativeInline(admin.TabularInline):
    model = PrerequisiteAlternative
    form = PrerequisiteAlternativeForm
    formset = PrerequisiteAlternativeFormSet
    extra = 1
    fields = ["order", "code", "label", "label_en", "conditions"]
    verbose_name_plural = _("prerequisite alternatives (an applicant meets all conditions of one alternative)")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "conditions":
            kwargs["queryset"] = PrerequisiteCondition.objects.filter(scheme_id=_scheme_id_from_url(request))
            kwargs["widget"] = CheckboxSelectMultiple
            kwargs["help_text"] = _(
                "All of these must be met. A new scheme's conditions can be chosen once the scheme has been saved."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RequiredDocumentForm(SameSchemeChoicesForm):
    same_scheme_fields = ("alternatives",)


class RequiredDocumentInline(admin.StackedInline):
    model = RequiredDocument
    form = RequiredDocumentForm
    extra = 0
    fields = [
        ("order", "clause"),
        ("name", "name_en"),
        ("description", "description_en"),
        "source_text",
        ("quantity", "photo_size", "photo_background"),
        "for_all_applicants",
        "alternatives",
    ]
    formfield_overrides = SMALL_TEXT

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "alternatives":
            kwargs["queryset"] = PrerequisiteAlternative.objects.filter(scheme_id=_scheme_id_from_url(request))
            kwargs["widget"] = CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.action(permissions=["view"], description=_("Export selected schemes as JSON"))
def export_json(modeladmin, request, queryset):
    schemes = list(queryset)
    if len(schemes) == 1:
        scheme = schemes[0]
        response = HttpResponse(services.scheme_export_json(scheme=scheme), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="scheme-{scheme.slug}.json"'
        return response
    # Several schemes: one file each (the import takes one scheme per file), in a zip.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for scheme in schemes:
            archive.writestr(f"scheme-{scheme.slug}.json", services.scheme_export_json(scheme=scheme))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="schemes.zip"'
    return response


def _set_status(modeladmin, request, queryset, status):
    changed = 0
    for scheme in queryset:
        try:
            services.scheme_set_status(scheme=scheme, status=status, actor=request.user)
        except DomainError as error:
            modeladmin.message_user(request, f"{scheme.document_number}: {error}", messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(
            request,
            ngettext("%(count)d scheme updated.", "%(count)d schemes updated.", changed) % {"count": changed},
            messages.SUCCESS,
        )


@admin.action(permissions=["change"], description=_("Publish selected schemes (active)"))
def make_active(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Scheme.Status.ACTIVE)


@admin.action(permissions=["change"], description=_("Retire selected schemes"))
def make_retired(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Scheme.Status.RETIRED)


@admin.action(permissions=["delete"], description=_("Delete selected schemes"))
def delete_selected(modeladmin, request, queryset):
    """Django's bulk delete, refused as a whole when any selected scheme is in use."""
    in_use = [scheme.document_number for scheme in queryset if scheme.is_in_use()]
    if in_use:
        modeladmin.message_user(
            request,
            _("Not deleted: %(schemes)s in use by applications or certificates. Retire a scheme instead.")
            % {"schemes": ", ".join(in_use)},
            messages.ERROR,
        )
        return None
    return django_delete_selected(modeladmin, request, queryset)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    change_list_template = "admin/schemes/scheme/change_list.html"
    list_display = ["document_number", "name", "scheme_type", "status", "fee_display", "unit_count", "approval_date"]
    list_filter = ["status", "scheme_type"]
    search_fields = ["document_number", "name", "name_en", "lsp_name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["clauses_link", "created_at", "updated_at"]
    actions = [export_json, make_active, make_retired, delete_selected]
    inlines = [
        SchemeApproverInline,
        UnitInline,
        PrerequisiteConditionInline,
        PrerequisiteAlternativeInline,
        RequiredDocumentInline,
    ]
    fieldsets = [
        (
            _("Scheme document"),
            {
                "fields": [
                    "document_number",
                    "slug",
                    "title",
                    ("name", "name_en"),
                    "scheme_type",
                    ("lsp_name", "lsp_short_name"),
                    "introduction",
                    "introduction_en",
                    "approval_date",
                    ("copy_number", "distribution_status", "distribution_status_text"),
                ]
            },
        ),
        (_("Fee (8)"), {"fields": ["fee", "fee_text", "fee_text_en"]}),
        (
            _("Deadlines and periods"),
            {
                "fields": [
                    "certificate_validity_years",
                    "surveillance_interval_months",
                    "recertification_lead_months",
                    "appeal_window_days",
                    "appeal_decision_working_days",
                ]
            },
        ),
        (
            _("Clauses of the document"),
            {
                "fields": ["clauses_link", ("ethics_title", "ethics_title_en")],
                "description": _(
                    "Background, scope, purpose, references, rights, duties, the process (9), suspension grounds, "
                    "rules of certificate use and the code of ethics are edited on their own page: a scheme has "
                    "about a hundred of them, too many for one form."
                ),
            },
        ),
        (_("Notes on how the document was entered"), {"fields": ["mapping_note"]}),
        (_("Status"), {"fields": ["status", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_unit_count=models.Count("units"))

    @admin.display(description=_("fee"), ordering="fee")
    def fee_display(self, obj):
        return format_rupiah(obj.fee)

    @admin.display(description=_("units"), ordering="_unit_count")
    def unit_count(self, obj):
        return obj._unit_count

    @admin.display(description=_("clauses"))
    def clauses_link(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the scheme first; then its clauses can be added.")
        counts = dict(obj.clauses.values_list("kind").annotate(n=models.Count("id")))
        summary = ", ".join(f"{label}: {counts[kind]}" for kind, label in SchemeClause.Kind.choices if kind in counts)
        changelist = reverse("admin:schemes_schemeclause_changelist") + f"?scheme__id__exact={obj.pk}"
        add = reverse("admin:schemes_schemeclause_add") + f"?scheme={obj.pk}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a><div class="help">{}</div>',
            changelist,
            _("Edit the clauses of this scheme"),
            add,
            _("Add a clause"),
            summary or _("No clauses yet."),
        )

    def has_delete_permission(self, request, obj=None):
        # A scheme that applications or certificates refer to is retired, never deleted.
        if obj is not None and obj.is_in_use():
            return False
        return super().has_delete_permission(request, obj)

    # A scheme nobody uses goes with its settings kept by other apps (its sanction policy, 9.5.2); their
    # PROTECT foreign keys would otherwise list them as protecting it.

    def get_deleted_objects(self, objs, request):
        settings = [
            setting
            for label in SCHEME_SETTINGS_MODELS
            for setting in apps.get_model(label).objects.filter(scheme__in=list(objs))
        ]
        with transaction.atomic():
            # What would go once the settings are gone; undone at once: nothing is deleted before confirming.
            services.scheme_settings_delete(schemes=list(objs))
            deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
            transaction.set_rollback(True)
        for setting in settings:
            deleted.append(f"{capfirst(setting._meta.verbose_name)}: {setting}")
            counts[setting._meta.verbose_name_plural] = counts.get(setting._meta.verbose_name_plural, 0) + 1
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        with transaction.atomic():
            services.scheme_settings_delete(schemes=[obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            services.scheme_settings_delete(schemes=list(queryset))
            super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        obj._status_before_save = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.scheme_audit_admin_save(
            scheme=form.instance,
            actor=request.user,
            created=not change,
            from_status=getattr(form.instance, "_status_before_save", None),
        )

    # --- import -----------------------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SchemeImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = services.scheme_file_parse(form.cleaned_data["file"].read())
                scheme = services.scheme_import(data=data, actor=request.user)
            except services.SchemeImportError as error:
                # One line per problem: a file can have several, and all are reported at once.
                form.add_error("file", error.reasons)
            except DomainError as error:
                form.add_error("file", str(error))
            else:
                self.message_user(
                    request,
                    _("Imported %(scheme)s (status: %(status)s).")
                    % {"scheme": scheme, "status": scheme.get_status_display()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:schemes_scheme_change", args=[scheme.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a scheme"),
            "form": form,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/schemes/scheme/import.html", context)


@admin.register(SchemeClause)
class SchemeClauseAdmin(admin.ModelAdmin):
    """The numbered items of a scheme document, filtered per scheme from the scheme's page."""

    list_display = ["scheme", "order", "kind", "clause", "heading", "short_text"]
    list_display_links = ["order", "clause", "short_text"]
    list_filter = ["scheme", "kind"]
    search_fields = ["clause", "heading", "text", "text_en"]
    list_select_related = ["scheme"]
    ordering = ["scheme", "order", "id"]
    list_per_page = 200
    fields = ["scheme", "kind", "order", "clause", ("heading", "heading_en"), "text", "text_en"]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 120 else obj.text[:117] + "…"


class ElementInline(admin.TabularInline):
    model = Element
    extra = 1
    fields = ["order", "title", "title_en"]
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "scheme", "standard_type", "order"]
    list_filter = ["scheme", "standard_type"]
    search_fields = ["code", "title", "title_en", "scheme__name"]
    list_select_related = ["scheme"]
    inlines = [ElementInline]

    def has_delete_permission(self, request, obj=None):
        # The last unit of an active scheme stays: the catalogue must show what is tested (5).
        if obj is not None and obj.scheme.is_active and obj.scheme.units.count() <= 1:
            return False
        return super().has_delete_permission(request, obj)


class PerformanceCriterionInline(admin.TabularInline):
    model = PerformanceCriterion
    extra = 1
    fields = ["order", "text", "text_en"]
    formfield_overrides = SMALL_TEXT


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "order"]
    list_filter = ["unit__scheme"]
    search_fields = ["title", "unit__code"]
    list_select_related = ["unit"]
    inlines = [PerformanceCriterionInline]
