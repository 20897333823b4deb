"""The applicant's view of one application: what has happened, what is next, what to do, by when."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lsp.models import AuditEvent
from lsp.templatetags.lsp_tags import format_rupiah

from .models import Application, Invoice

S = Application.Status
I = Invoice.Status  # noqa: E741

DONE, CURRENT, TODO, STOPPED = "done", "current", "todo", "stopped"

SECTION_URLS = {
    Application.Section.PERSONAL: "applicants:personal",
    Application.Section.WORK: "applicants:work",
    Application.Section.PURPOSE: "applicants:purpose",
    Application.Section.DOCUMENTS: "applicants:documents",
    Application.Section.SELF_ASSESSMENT: "applicants:self-assessment",
}

EVENT_LABELS = {
    "application.start": _("Application started"),
    "application.submit": _("Application submitted"),
    "application.resubmit": _("Revised application submitted"),
    "application.request_revision": _("The LSP asked for a revision"),
    "application.accept": _("Accepted: you are a peserta sertifikasi (asesi)"),
    "application.reject": _("Application rejected"),
    "application.withdraw": _("Application withdrawn"),
    "invoice.issue": _("Invoice issued"),
    "payment.proof_upload": _("Transfer proof uploaded"),
    "payment.verify": _("Payment verified"),
    "payment.reject": _("Transfer proof refused"),
    "payment.sponsor": _("Fee paid by a sponsor"),
}


@dataclass
class Step:
    title: str
    state: str
    when: object = None
    detail: str = ""
    action: str = ""
    action_url: str = ""
    due: object = None


def _application_steps(application):
    status = application.status
    detail_url = reverse("applicants:detail", args=[application.pk])
    if application.was_submitted:
        first = Step(_("Fill in APL-01 and APL-02 and submit"), DONE, when=application.submitted_at)
    elif status == S.WITHDRAWN:
        first = Step(_("Fill in APL-01 and APL-02 and submit"), STOPPED, detail=_("Withdrawn before submission."))
    else:
        first = Step(
            _("Fill in APL-01 and APL-02 and submit"),
            CURRENT,
            action=_("Complete your personal data, upload the documents, answer the self-assessment and submit."),
            action_url=detail_url,
        )

    if status == S.SUBMITTED:
        review = Step(
            _("Review by the LSP (9.1.5)"),
            CURRENT,
            when=application.last_submitted_at,
            detail=_("The LSP checks your documents against the scheme's requirements. Nothing to do now."),
        )
    elif status == S.REVISION_REQUESTED:
        sections = [SECTION_URLS[code] for code in application.revision_sections or [] if code in SECTION_URLS]
        review = Step(
            _("Review by the LSP (9.1.5)"),
            CURRENT,
            detail=application.revision_note,
            action=_("Fix what the LSP asked for and submit again."),
            action_url=reverse(sections[0], args=[application.pk]) if sections else detail_url,
            due=application.revision_due,
        )
    elif status in (S.ACCEPTED, S.REJECTED, S.COMPLETED):
        review = Step(_("Review by the LSP (9.1.5)"), DONE, when=application.decided_at)
    elif status == S.WITHDRAWN and application.was_submitted:
        review = Step(_("Review by the LSP (9.1.5)"), STOPPED, detail=_("Withdrawn."))
    else:
        review = Step(_("Review by the LSP (9.1.5)"), TODO)

    if status in (S.ACCEPTED, S.COMPLETED):
        decision = Step(_("Accepted as peserta sertifikasi (9.1.6)"), DONE, when=application.decided_at)
    elif status == S.REJECTED:
        decision = Step(
            _("Accepted as peserta sertifikasi (9.1.6)"),
            STOPPED,
            when=application.decided_at,
            detail=_("Rejected: %(reason)s") % {"reason": application.rejection_reason},
        )
    else:
        decision = Step(_("Accepted as peserta sertifikasi (9.1.6)"), TODO if status != S.WITHDRAWN else STOPPED)
    return [first, review, decision]


def _payment_step(application):
    title = _("Pay the certification fee (8)")
    invoice = application.invoice_or_none
    if invoice is None:
        return Step(title, STOPPED if application.status in (S.REJECTED, S.WITHDRAWN) else TODO)
    url = reverse("applicants:invoice", args=[application.pk])
    if invoice.status == I.PAID:
        return Step(
            title, DONE, when=invoice.settled_at, detail=_("Invoice %(number)s paid.") % {"number": invoice.number}
        )
    if invoice.status == I.SPONSORED:
        return Step(
            title,
            DONE,
            when=invoice.settled_at,
            detail=_("Paid by a sponsor (%(sponsor)s).")
            % {"sponsor": invoice.sponsor_name or invoice.get_sponsor_type_display()},
        )
    if invoice.status == I.PROOF_SUBMITTED:
        return Step(title, CURRENT, detail=_("The LSP is checking your transfer proof. Nothing to do now."))
    detail = ""
    if invoice.status == I.PROOF_REJECTED:
        proof = invoice.current_proof
        detail = _("Your transfer proof was refused: %(reason)s") % {"reason": proof.rejection_reason if proof else ""}
    return Step(
        title,
        CURRENT,
        detail=detail,
        action=_("Transfer %(amount)s for invoice %(number)s and upload the transfer proof.")
        % {"amount": format_rupiah(invoice.amount), "number": invoice.number},
        action_url=url,
        due=invoice.due_date,
    )


def _assessment_step(application):
    title = _("Assessment and competency test (9.2, 9.3)")
    if application.status == S.ACCEPTED and application.is_payment_settled:
        # Imported here: the assessments app builds on this one.
        from assessments.models import Assignment

        assignment = (
            Assignment.objects.filter(application=application, status__in=Assignment.OPEN_STATUSES)
            .select_related("schedule__tuk")
            .first()
        )
        if assignment is None:
            return Step(title, CURRENT, detail=_("The LSP will assign an assessor and schedule your assessment."))
        schedule = assignment.schedule
        return Step(
            title,
            CURRENT,
            detail=_("Scheduled at %(tuk)s.") % {"tuk": schedule.tuk.name},
            action=_("See your assessment plan and schedule"),
            action_url=reverse("assessments:candidate-detail", args=[assignment.pk]),
            due=schedule.date,
        )
    if application.status == S.COMPLETED:
        return Step(title, DONE, detail=_("Assessed; the technical team's decision is shown with your certificates."))
    if application.status in (S.REJECTED, S.WITHDRAWN):
        return Step(title, STOPPED)
    return Step(title, TODO)


def application_timeline(application):
    """The steps of one application, each done, current, to do, or stopped."""
    return [*_application_steps(application), _payment_step(application), _assessment_step(application)]


def next_step(steps):
    return next((step for step in steps if step.state == CURRENT), None)


def application_events(application):
    """What has happened, newest first, in words for the applicant (internal edits left out)."""
    invoice = application.invoice_or_none
    condition = Q(content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk))
    if invoice is not None:
        condition |= Q(content_type=ContentType.objects.get_for_model(Invoice), object_id=str(invoice.pk))
    events = AuditEvent.objects.filter(condition, action__in=list(EVENT_LABELS)).order_by("-created_at", "-id")
    return [{"when": event.created_at, "label": EVENT_LABELS[event.action], "reason": event.reason} for event in events]
