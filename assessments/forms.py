"""Forms of the assessment stage. They only parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schemes.models import Scheme

from .models import FEEDBACK_QUESTIONS, Assessor, ConflictKind, EvidenceReview, Method, Tuk, Verdict

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


# --- registries ---------------------------------------------------------------------------------


class TukForm(forms.ModelForm):
    class Meta:
        model = Tuk
        fields = ["name", "tuk_type", "address", "city", "contact_person", "contact_phone", "contact_email"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class TukVerificationForm(forms.Form):
    verified_on = forms.DateField(
        label=_("Verified on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    checklist_notes = forms.CharField(
        label=_("Checklist notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was checked: rooms, equipment, materials, safety, access."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("verified_on"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The verification cannot end before the day it was done."))
        return cleaned


# --- staff: schedules -------------------------------------------------------------------------


class AssessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.full_name} · {obj.met_number}"


class AssessorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.full_name} · {obj.met_number}"


class ScheduleForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.filter(status=Scheme.Status.ACTIVE))
    tuk = forms.ModelChoiceField(
        label=_("TUK"),
        queryset=Tuk.objects.filter(is_active=True),
        help_text=_("Only a TUK verified for the test date can host it (9.3.2)."),
    )
    date = forms.DateField(label=_("Test date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    end_time = forms.TimeField(label=_("End time"), widget=TIME, required=False)
    capacity = forms.IntegerField(label=_("Capacity (candidates)"), min_value=1, max_value=500, initial=10)
    assessors = AssessorMultipleChoiceField(
        label=_("Assessors"),
        queryset=Assessor.objects.filter(is_active=True).select_related("user"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each must be competent for the scheme and registered on the test date (9.2.2)."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AddCandidateForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Candidate (accepted and paid)"), queryset=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = queryset
        self.fields["application"].label_from_instance = lambda a: f"{a.reference} · {a.full_name or a.applicant}"


class AssignAssessorForm(forms.Form):
    assessor = AssessorChoiceField(label=_("Assessor"), queryset=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


# --- assessor ------------------------------------------------------------------------------------


class DeclarationForm(forms.Form):
    has_conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest with this candidate?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kind of conflict"), choices=ConflictKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EvidenceReviewUnitForm(forms.Form):
    """One unit of the APL-02 review (9.2.5); the unit itself is shown from the formset's initial data."""

    code = forms.CharField(widget=forms.HiddenInput)
    adequate = forms.ChoiceField(
        label=_("Evidence"),
        choices=[("yes", _("Adequate")), ("no", _("Not adequate"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False)


EvidenceReviewFormSet = forms.formset_factory(EvidenceReviewUnitForm, extra=0)


class EvidenceReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Recommendation (9.2.6)"), choices=EvidenceReview.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    date = forms.DateField(label=_("Agreed test date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    tuk = forms.ModelChoiceField(label=_("TUK"), queryset=Tuk.objects.filter(is_active=True))
    notes = forms.CharField(label=_("Notes for the candidate"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PlanUnitForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    methods = forms.MultipleChoiceField(
        label=_("Methods (9.3.1)"), choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )
    evidence_to_collect = forms.CharField(
        label=_("Evidence to collect"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


PlanUnitFormSet = forms.formset_factory(PlanUnitForm, extra=0)


class UnitResultForm(forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("Methods used (9.3.1)"), choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )
    verdict = forms.ChoiceField(label=_("Result of the unit"), choices=Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ElementResultForm(forms.Form):
    index = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("Result"), choices=Verdict.choices, widget=forms.RadioSelect)


ElementResultFormSet = forms.formset_factory(ElementResultForm, extra=0)


class EvidenceItemForm(forms.Form):
    description = forms.CharField(label=_("Evidence"), max_length=500, required=False)
    valid = forms.BooleanField(label=_("Valid"), required=False)
    authentic = forms.BooleanField(label=_("Asli"), required=False)
    current = forms.BooleanField(label=_("Terkini"), required=False)
    sufficient = forms.BooleanField(label=_("Memadai"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


EvidenceItemFormSet = forms.formset_factory(EvidenceItemForm, extra=2, max_num=30)


class SubmitRecordForm(forms.Form):
    expected = forms.ChoiceField(choices=Verdict.choices, widget=forms.HiddenInput)
    follow_up = forms.CharField(
        label=_("Follow-up the candidate needs (required for Belum Kompeten)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    note = forms.CharField(label=_("Note to the LSP"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


# --- candidate -----------------------------------------------------------------------------------


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree_plan = forms.BooleanField(
        label=_("I have read the assessment plan above, discussed it with the assessor where needed, and agree to it."),
    )
    confidentiality = forms.BooleanField(
        label=_(
            "I agree to the confidentiality terms: the assessor and the LSP keep my results confidential and use "
            "them only for the certification process; I will not disclose the test material."
        ),
    )


class FeedbackForm(forms.Form):
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {
            code: forms.ChoiceField(label=text, choices=YES_NO, widget=forms.RadioSelect)
            for code, text in FEEDBACK_QUESTIONS
        }
        self.fields = {**questions, **self.fields}

    def answers(self):
        return {code: self.cleaned_data[code] == "yes" for code, _text in FEEDBACK_QUESTIONS}
