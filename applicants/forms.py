"""Forms parse input only; the rules live in the services (applicants/services)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from schemes.models import Scheme

from .models import Application, Document, Invoice, SelfAssessmentAnswer
from .uploads import ACCEPT_ATTRIBUTE, MAX_UPLOAD_MB
from .validation import nik_problems

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_HELP = _("PDF, JPEG or PNG, at most %(mb)s MB.") % {"mb": MAX_UPLOAD_MB}


def file_field(label=None):
    return forms.FileField(
        label=label or _("File"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        allow_empty_file=True,  # an empty file gets the service's own message
    )


class PersonalForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = list(Application.PERSONAL_FIELDS)
        widgets = {"birth_date": DATE, "address": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"nik": _("16 digits, as on your KTP.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Application.PERSONAL_REQUIRED:
            self.fields[name].required = True
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "maxlength": 5})

    def clean_nik(self):
        return (self.cleaned_data.get("nik") or "").replace(" ", "").replace(".", "")

    def clean(self):
        cleaned = super().clean()
        for problem in nik_problems(cleaned.get("nik"), cleaned.get("birth_date"), cleaned.get("sex")):
            self.add_error("nik", problem)
        return cleaned


class WorkForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = list(Application.WORK_FIELDS)
        widgets = {"work_address": forms.Textarea(attrs={"rows": 2})}


class PurposeForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["purpose", "purpose_other", "funding", "funding_detail"]
        widgets = {"purpose": forms.RadioSelect, "funding": forms.RadioSelect}
        help_texts = {"funding": _("Kept for the LSP's reports to BNSP.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].required = self.fields["funding"].required = True
        self.fields["purpose"].choices = Application.Purpose.choices
        self.fields["funding"].choices = Application.Funding.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == Application.Purpose.OTHER and not cleaned.get("purpose_other"):
            self.add_error("purpose_other", _("Describe the other purpose."))
        return cleaned


class AlternativeForm(forms.Form):
    alternative = forms.ModelChoiceField(
        label=_("Prerequisite path you meet (clause 6)"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alternative"].queryset = scheme.prerequisite_alternatives.all()
        self.fields["alternative"].label_from_instance = lambda alt: f"{alt.code}. {alt.label}"


class RequirementUploadForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = file_field()


class EvidenceUploadForm(forms.Form):
    title = forms.CharField(label=_("What this file shows"), max_length=200, required=False)
    file = file_field(_("Evidence file"))


class SelfAssessmentForm(forms.Form):
    """One K/BK question per unit (or element), with the evidence chosen from the uploads."""

    def __init__(self, *args, items, documents, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [(str(document.pk), document.title or document.original_name) for document in documents]
        self.documents = {str(document.pk): document for document in documents}
        for i, item in enumerate(items):
            answer = answers.get(item["key"])
            self.fields[f"answer_{i}"] = forms.ChoiceField(
                label=item["question"],
                choices=SelfAssessmentAnswer.Answer.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=answer.answer if answer else None,
            )
            self.fields[f"evidence_{i}"] = forms.MultipleChoiceField(
                label=_("Supporting evidence"),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                initial=[str(d.pk) for d in answer.evidence.all()] if answer else [],
            )

    def rows(self):
        return [(item, self[f"answer_{i}"], self[f"evidence_{i}"]) for i, item in enumerate(self.items)]

    def answers(self):
        return {
            item["key"]: (
                self.cleaned_data[f"answer_{i}"],
                [self.documents[pk] for pk in self.cleaned_data[f"evidence_{i}"]],
            )
            for i, item in enumerate(self.items)
        }


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the data and documents I give are true, and I agree to meet the certification "
            "requirements and to give any information needed for the assessment (9.1.4)."
        )
    )
    consent = forms.BooleanField(
        label=_(
            "I consent to the LSP processing my personal data (including my NIK and documents) for this "
            "certification and for the reports it must make to BNSP."
        )
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- staff ------------------------------------------------------------------------------------


class DocumentReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[(Document.Review.MEETS, _("Memenuhi syarat")), (Document.Review.FAILS, _("Tidak memenuhi syarat"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevisionForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Parts to fix"),
        choices=Application.Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Documents marked “tidak memenuhi syarat” are always included."),
    )
    note = forms.CharField(label=_("What to fix"), widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=_("Fix by"), required=False, widget=DATE, help_text=_("Empty: in 5 working days."))


class AcceptForm(forms.Form):
    payment_due = forms.DateField(
        label=_("Payment due"), required=False, widget=DATE, help_text=_("Empty: in 10 working days.")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}))


class PaymentRejectForm(forms.Form):
    reason = forms.CharField(label=_("Why the transfer proof is refused"), widget=forms.Textarea(attrs={"rows": 2}))


class SponsorForm(forms.Form):
    sponsor_type = forms.ChoiceField(label=_("Sponsor"), choices=Invoice.SponsorType.choices)
    sponsor_name = forms.CharField(label=_("Sponsor name"), max_length=200, required=False)
    reference = forms.CharField(label=_("Reference (letter, contract or programme number)"), max_length=200)


class PaymentProofForm(forms.Form):
    file = file_field(_("Transfer proof"))


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, NIK, email or number"), required=False)
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    payment = forms.ChoiceField(label=_("Payment"), required=False)
    date_from = forms.DateField(label=_("Submitted from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Submitted until"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = [(value, label) for value, label in Application.Status.choices if value != Application.Status.DRAFT]
        self.fields["status"].choices = [("", _("All"))] + statuses
        self.fields["payment"].choices = [("", _("All"))] + list(Invoice.Status.choices)
        # Plain Bootstrap widgets: the queue renders them by hand, not through crispy (it is the busiest staff page).
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class QuestionForm(forms.Form):
    about = forms.ChoiceField(label=_("About"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, applications, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("General question"))]
        choices += [
            (
                f"application:{a.pk}",
                _("My application %(ref)s · %(scheme)s")
                % {"ref": a.reference or _("(draft)"), "scheme": a.scheme.name},
            )
            for a in applications
        ]
        choices += [(f"scheme:{s.pk}", _("Scheme: %(name)s") % {"name": s.name}) for s in schemes]
        self.fields["about"].choices = choices
        self._applications = {str(a.pk): a for a in applications}
        self._schemes = {str(s.pk): s for s in schemes}

    def target(self):
        """(scheme, application) the question is about."""
        kind, _sep, pk = (self.cleaned_data.get("about") or "").partition(":")
        if kind == "application":
            return None, self._applications.get(pk)
        if kind == "scheme":
            return self._schemes.get(pk), None
        return None, None


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
