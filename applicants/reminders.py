"""Reminders of the registration stage, run daily by ``lsp.tasks.send_due_reminders``."""

import datetime

from django.utils import timezone

from lsp.reminders import remind, reminder_rule

from .models import Application, Invoice
from .services._common import portal_link

DRAFT_UNTOUCHED_DAYS = 3
PAYMENT_REMINDER_DAYS_BEFORE_DUE = 3


@reminder_rule
def remind_untouched_drafts():
    """A draft left alone for 3 days: once per period of silence (a new edit starts a new one)."""
    cutoff = timezone.now() - datetime.timedelta(days=DRAFT_UNTOUCHED_DAYS)
    sent = 0
    drafts = Application.objects.filter(status=Application.Status.DRAFT, updated_at__lte=cutoff)
    for application in drafts.select_related("applicant", "scheme"):
        sent += remind(
            user=application.applicant,
            key=f"draft-untouched:{application.pk}:{application.updated_at:%Y%m%dT%H%M%S}",
            template="emails/reminder_draft_untouched.txt",
            context={"application": application, "link": portal_link("applicants:detail", application.pk)},
        )
    return sent


@reminder_rule
def remind_pending_payments():
    """An unpaid invoice of an accepted application: once before the due date, once when overdue."""
    today = timezone.localdate()
    sent = 0
    pending = Invoice.objects.filter(
        status__in=[Invoice.Status.UNPAID, Invoice.Status.PROOF_REJECTED],
        application__status=Application.Status.ACCEPTED,
        due_date__isnull=False,
        due_date__lte=today + datetime.timedelta(days=PAYMENT_REMINDER_DAYS_BEFORE_DUE),
    ).select_related("application__applicant")
    for invoice in pending:
        kind = "overdue" if invoice.due_date < today else "due"
        sent += remind(
            user=invoice.application.applicant,
            key=f"payment-{kind}:{invoice.pk}:{invoice.due_date:%Y-%m-%d}",
            template="emails/reminder_payment.txt",
            context={
                "invoice": invoice,
                "overdue": kind == "overdue",
                "link": portal_link("applicants:invoice", invoice.application.pk),
            },
        )
    return sent
