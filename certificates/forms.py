"""Forms of the decision and certificate stage. They only parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.uploads import ACCEPT_ATTRIBUTE
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
    # A plain widget: the public verification page renders this one field by hand (no crispy), see verify.html.
    number = forms.CharField(
        label=_("Certificate number"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )


# --- after issue ------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the services inspect each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AppealForm(forms.Form):
    """FR.AK.04, banding asesmen: the three questions, the reasons, attachments (9.9.3)."""

    YES_NO = [("yes", _("Yes")), ("no", _("No"))]

    process_explained = forms.TypedChoiceField(
        label=_("Has the appeal process been explained to you?"), choices=YES_NO, widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    discussed_with_assessor = forms.TypedChoiceField(
        label=_("Have you discussed the appeal with the assessor?"), choices=YES_NO, widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    involves_other_person = forms.TypedChoiceField(
        label=_("Do you want to involve another person to help you in the appeal?"), choices=YES_NO,
        widget=forms.RadioSelect, coerce=lambda value: value == "yes",
    )
    other_person = forms.CharField(label=_("If so, who"), required=False, max_length=200)
    reasons = forms.CharField(
        label=_("This appeal is filed for the following reasons"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"), required=False,
        help_text=_("PDF, JPG or PNG, at most 5 MB each, up to 5 files."),
    )
    confirm = forms.BooleanField(label=_("I confirm that the information in this appeal is true."), required=True)


class WithdrawAppealForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def appeal_team_queryset():
    return User.objects.filter(roles__role=Role.APPEAL_TEAM, is_active=True).distinct().order_by("full_name")


class AppealPanelForm(forms.Form):
    members = UserMultipleChoiceField(
        label=_("Members of the appeal team"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Nobody involved in the appealed matter may sit on it: not the assessor, not the technical team members who decided (9.9.4)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = appeal_team_queryset()


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision of the appeal team"), choices=(), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        from .models import Appeal

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Appeal.Outcome.choices


class AppealLetterForm(LetterForm):
    """The SK based on an appeal decision that granted the certificate."""


class ReassessmentForm(forms.Form):
    schedule = forms.ModelChoiceField(label=_("Test schedule"), queryset=None)
    assessor = forms.ModelChoiceField(label=_("Assessor (not one of the appealed matter)"), queryset=None)

    def __init__(self, *args, appeal, **kwargs):
        from assessments.models import Assessor, Schedule

        super().__init__(*args, **kwargs)
        scheme = appeal.application.scheme
        self.fields["schedule"].queryset = (
            Schedule.objects.filter(scheme=scheme, status=Schedule.Status.SCHEDULED, date__gte=timezone.localdate())
            .exclude(assignments__application_id=appeal.application_id)
            .select_related("tuk")
        )
        self.fields["assessor"].queryset = (
            Assessor.objects.filter(is_active=True, schemes=scheme)
            .exclude(user_id__in=appeal.excluded_assessors)
            .select_related("user")
            .distinct()
        )


class SurveillanceEvidenceForm(forms.Form):
    statement = forms.CharField(
        label=_("Your continued practice since the certificate was issued"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where you worked, what you did in the field of the certificate, who can confirm it."),
    )
    files = MultipleFileField(
        label=_("Logbook or other evidence"), required=False,
        help_text=_("PDF, JPG or PNG, at most 5 MB each, up to 5 files."),
    )


class SurveillanceRecordForm(forms.Form):
    method = forms.ChoiceField(label=_("Method (9.6.3)"), choices=(), widget=forms.RadioSelect)
    method_other = forms.CharField(label=_("Other method"), required=False, max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=(), widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Findings (9.6.4)"), widget=forms.Textarea(attrs={"rows": 4}))
    ground = forms.ModelChoiceField(
        label=_("Ground of the sanction case, if not maintained (9.5.1)"), queryset=None, required=False
    )
    duty = forms.ModelChoiceField(label=_("Holder duty breached (7.2)"), queryset=None, required=False)
    follow_up_due = forms.DateField(label=_("Follow-up due on, if a follow-up is needed"), required=False, widget=DATE)

    def __init__(self, *args, scheme, **kwargs):
        from schemes.models import SchemeClause
        from schemes.selectors import scheme_suspension_grounds

        from .models import Surveillance

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Surveillance.Method.choices
        self.fields["outcome"].choices = Surveillance.Outcome.choices
        self.fields["ground"].queryset = scheme_suspension_grounds(scheme=scheme)
        self.fields["duty"].queryset = SchemeClause.objects.filter(scheme=scheme, kind=SchemeClause.Kind.DUTY)


class ClauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.clause} {obj.text}"


class SanctionOpenForm(forms.Form):
    ground = ClauseChoiceField(label=_("Ground (9.5.1)"), queryset=None)
    duty = ClauseChoiceField(label=_("Holder duty breached (7.2)"), queryset=None, required=False)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, scheme, **kwargs):
        from schemes.models import SchemeClause
        from schemes.selectors import scheme_suspension_grounds

        super().__init__(*args, **kwargs)
        self.fields["ground"].queryset = scheme_suspension_grounds(scheme=scheme)
        self.fields["duty"].queryset = SchemeClause.objects.filter(scheme=scheme, kind=SchemeClause.Kind.DUTY)


class WarningForm(forms.Form):
    reason = forms.CharField(label=_("Warning"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE)


class SanctionDecisionForm(forms.Form):
    """Suspension, reinstatement or revocation: a reason, the LSP's decision reference and the effective date."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_reference = forms.CharField(label=_("Decision reference (SK number)"), max_length=100)
    effective_date = forms.DateField(label=_("Effective date"), initial=timezone.localdate, widget=DATE)


class CloseCaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing without a sanction"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for letting the holder apply after the deadline (9.7.1)"), widget=forms.Textarea(attrs={"rows": 2})
    )
