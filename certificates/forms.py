"""Forms of the decision and certificate stage. They only parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.models import Role, User

from .models import Decision, Handover, ImpartialityDeclaration, Signatory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})"


class RecordChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.application.full_name} · {obj.application.scheme.name} · {obj.get_recommendation_display()}"


def technical_team_queryset():
    return User.objects.filter(roles__role=Role.TECHNICAL_TEAM, is_active=True).distinct().order_by("full_name")


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Meeting date"), initial=timezone.localdate, widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=255)
    chair = UserChoiceField(label=_("Chair"), queryset=User.objects.none())
    members = UserMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Members of the technical team; the chair is a member too."),
    )
    records = RecordChoiceField(
        label=_("Submitted recommendations to decide on"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        team = technical_team_queryset()
        self.fields["chair"].queryset = team
        self.fields["members"].queryset = team
        self.fields["records"].queryset = records


class DecisionForm(forms.Form):
    recommendation_verified = forms.BooleanField(
        label=_("We verified the assessor's recommendation (9.4.4)."), required=True
    )
    evidence_verified = forms.BooleanField(
        label=_("We verified the evidence record of the competency test (FR.AK.02) (9.4.1, 9.4.4)."), required=True
    )
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of conflict"), choices=ImpartialityDeclaration.Kind.choices)
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LetterForm(forms.Form):
    date = forms.DateField(label=_("SK date"), initial=timezone.localdate, widget=DATE)
    signatory = forms.ModelChoiceField(label=_("Signatory"), queryset=Signatory.objects.filter(active=True))


class UseAgreementForm(forms.Form):
    agree_use_rules = forms.BooleanField(
        label=_("I agree to the rules of certificate use above (9.8)."), required=True
    )
    agree_ethics = forms.BooleanField(label=_("I agree to follow the code of ethics above (7.2.4)."), required=True)


class HandoverForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Handover.Method.choices)
    handed_over_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class BnspNumbersForm(forms.Form):
    bnsp_registration_number = forms.CharField(label=_("BNSP registration number"), required=False, max_length=100)
    blanko_number = forms.CharField(label=_("Blanko number"), required=False, max_length=100)


class BnspImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_("First row: a header. Columns: certificate number, BNSP registration number, blanko number."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx") or upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Upload an XLSX file of at most 5 MB."))
        return upload


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=100)
