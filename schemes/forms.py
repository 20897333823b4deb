"""Forms of the schemes admin: the import upload, and inline formsets that guard an active scheme."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Scheme
from .services import ACTIVE_NEEDS_ALTERNATIVE, ACTIVE_NEEDS_UNIT

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class SchemeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Scheme file (JSON)"),
        help_text=_("A file made by “Export selected schemes as JSON” or the export_scheme command."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB; a scheme file is much smaller."))
        return upload


class _ActiveSchemeNeedsRowsFormSet(BaseInlineFormSet):
    """Refuse to leave an active scheme without rows of this inline.

    The admin validates the scheme form and every inline formset before it saves anything,
    so an error raised here means nothing is written. ``self.instance`` is the scheme with
    the submitted values already applied, so a scheme being switched to active is caught too.
    """

    empty_message = None

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.status != Scheme.Status.ACTIVE:
            return
        remaining = sum(
            1
            for form in self.forms
            # An untouched extra form has empty cleaned_data; a row marked for deletion will be gone.
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))
        )
        if remaining < 1:
            raise ValidationError(self.empty_message)


class UnitFormSet(_ActiveSchemeNeedsRowsFormSet):
    empty_message = ACTIVE_NEEDS_UNIT


class PrerequisiteAlternativeFormSet(_ActiveSchemeNeedsRowsFormSet):
    empty_message = ACTIVE_NEEDS_ALTERNATIVE


class SameSchemeChoicesForm(forms.ModelForm):
    """Alternatives pick conditions, documents pick alternatives: only of their own scheme."""

    same_scheme_fields = ()

    def clean(self):
        cleaned = super().clean()
        scheme_id = self.instance.scheme_id
        for name in self.same_scheme_fields:
            chosen = cleaned.get(name) or []
            if any(item.scheme_id != scheme_id for item in chosen):
                self.add_error(name, _("Choose only items of this scheme."))
        return cleaned
