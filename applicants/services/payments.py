"""The fee (section 8): invoice, transfer proof, verification, sponsorship.

Until the invoice is paid (proof verified) or sponsored, the application is not ready
for assessment (``applicants.selectors.applications_ready_for_assessment``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState
from lsp.models import Organisation
from lsp.notifications import notify
from lsp.numbering import counter_next
from lsp.workdays import add_working_days

from ..models import Application, Document, Invoice, PaymentProof
from ..uploads import inspect_upload
from ._common import PAYMENT_DUE_WORKING_DAYS, lock_application, portal_link, require_owner, require_staff
from .documents import NewFiles, document_create

I = Invoice.Status  # noqa: E741


def invoice_issue(*, actor, application, due=None):
    """Issue the invoice of an accepted application, once; called inside ``application_accept``."""
    existing = Invoice.objects.filter(application=application).first()
    if existing is not None:
        return existing
    year = timezone.localdate().year
    organisation = Organisation.current()
    invoice = Invoice.objects.create(
        application=application,
        number=f"INV/{year}/{counter_next(f'invoice-{year}'):06d}",
        amount=application.fee,
        due_date=due or add_working_days(timezone.localdate(), PAYMENT_DUE_WORKING_DAYS),
        bank_name=organisation.bank_name,
        bank_account_number=organisation.bank_account_number,
        bank_account_name=organisation.bank_account_name,
    )
    if invoice.amount == 0:
        # Nothing to pay: settled at once, so the application is not held back.
        invoice.status, invoice.settled_at, invoice.settled_by = I.PAID, timezone.now(), actor
        invoice.save(update_fields=["status", "settled_at", "settled_by"])
    audit_record(
        actor=actor, action="invoice.issue", obj=invoice, to_state=invoice.status, data={"amount": str(invoice.amount)}
    )
    return invoice


def _lock_invoice(application):
    invoice = Invoice.objects.select_for_update().filter(application_id=application.pk).first()
    if invoice is None:
        raise InvalidState(_("There is no invoice yet: it is issued when the application is accepted."))
    return invoice


def payment_proof_upload(*, actor, application, uploaded_file):
    """The applicant uploads a transfer proof; a proof still awaiting verification is replaced."""
    clean = inspect_upload(uploaded_file)
    with NewFiles() as files, transaction.atomic():
        application = lock_application(application)
        require_owner(actor, application)
        if application.status != Application.Status.ACCEPTED:
            raise InvalidState(_("The fee is paid once the application is accepted."))
        invoice = _lock_invoice(application)
        if invoice.is_settled:
            raise InvalidState(_("This invoice is already settled."))
        previous = invoice.status
        invoice.proofs.filter(status=PaymentProof.Status.PENDING).update(status=PaymentProof.Status.SUPERSEDED)
        document = document_create(
            application=application,
            owner=actor,
            kind=Document.Kind.PAYMENT_PROOF,
            clean=clean,
            name=files.save(clean),
            title=str(_("Transfer proof for %(number)s") % {"number": invoice.number}),
        )
        proof = PaymentProof.objects.create(invoice=invoice, document=document)
        invoice.status = I.PROOF_SUBMITTED
        invoice.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="payment.proof_upload",
            obj=invoice,
            from_state=previous,
            to_state=I.PROOF_SUBMITTED,
            data={"document": str(document.uuid)},
        )
    return proof


def payment_verify(*, actor, application):
    """Staff confirm the transfer arrived: the invoice is paid. Opposite: ``payment_reject``."""
    with transaction.atomic():
        application = lock_application(application)
        require_staff(actor, application)
        invoice = _lock_invoice(application)
        if invoice.status == I.PAID:
            return invoice
        if invoice.status != I.PROOF_SUBMITTED:
            raise InvalidState(_("There is no transfer proof awaiting verification."))
        proof = invoice.proofs.select_for_update().filter(status=PaymentProof.Status.PENDING).get()
        now = timezone.now()
        proof.status, proof.reviewed_by, proof.reviewed_at = PaymentProof.Status.VERIFIED, actor, now
        proof.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        invoice.status, invoice.settled_at, invoice.settled_by = I.PAID, now, actor
        invoice.save(update_fields=["status", "settled_at", "settled_by"])
        audit_record(actor=actor, action="payment.verify", obj=invoice, from_state=I.PROOF_SUBMITTED, to_state=I.PAID)
        notify(
            user=application.applicant,
            template="emails/payment_verified.txt",
            context={
                "application": application,
                "invoice": invoice,
                "link": portal_link("applicants:detail", application.pk),
            },
        )
    return invoice


def payment_reject(*, actor, application, reason):
    """Staff refuse the transfer proof with a reason; the applicant uploads another. Opposite: ``payment_verify``."""
    reason = (reason or "").strip()
    with transaction.atomic():
        application = lock_application(application)
        require_staff(actor, application)
        invoice = _lock_invoice(application)
        if invoice.status == I.PROOF_REJECTED:
            return invoice
        if invoice.status != I.PROOF_SUBMITTED:
            raise InvalidState(_("There is no transfer proof awaiting verification."))
        if not reason:
            raise InvalidState(_("Give the reason the transfer proof is refused."))
        proof = invoice.proofs.select_for_update().filter(status=PaymentProof.Status.PENDING).get()
        proof.status, proof.reviewed_by, proof.reviewed_at = PaymentProof.Status.REJECTED, actor, timezone.now()
        proof.rejection_reason = reason
        proof.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
        invoice.status = I.PROOF_REJECTED
        invoice.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="payment.reject",
            obj=invoice,
            from_state=I.PROOF_SUBMITTED,
            to_state=I.PROOF_REJECTED,
            reason=reason,
        )
        notify(
            user=application.applicant,
            template="emails/payment_rejected.txt",
            context={
                "application": application,
                "invoice": invoice,
                "reason": reason,
                "link": portal_link("applicants:invoice", application.pk),
            },
        )
    return invoice


def payment_mark_sponsored(*, actor, application, sponsor_type, sponsor_name="", reference):
    """Staff record that a sponsor pays (employer, government programme, collective registration)."""
    reference = (reference or "").strip()
    with transaction.atomic():
        application = lock_application(application)
        require_staff(actor, application)
        invoice = _lock_invoice(application)
        if invoice.status == I.SPONSORED:
            return invoice
        if invoice.status == I.PAID:
            raise InvalidState(_("This invoice is already paid."))
        if sponsor_type not in Invoice.SponsorType.values:
            raise InvalidState(_("Choose who sponsors the fee."))
        if not reference:
            raise InvalidState(_("Give the sponsor's reference (letter, contract or programme number)."))
        previous = invoice.status
        invoice.proofs.filter(status=PaymentProof.Status.PENDING).update(status=PaymentProof.Status.SUPERSEDED)
        invoice.status, invoice.settled_at, invoice.settled_by = I.SPONSORED, timezone.now(), actor
        invoice.sponsor_type, invoice.sponsor_name, invoice.sponsor_reference = sponsor_type, sponsor_name, reference
        invoice.save(
            update_fields=["status", "settled_at", "settled_by", "sponsor_type", "sponsor_name", "sponsor_reference"]
        )
        audit_record(
            actor=actor,
            action="payment.sponsor",
            obj=invoice,
            from_state=previous,
            to_state=I.SPONSORED,
            reason=reference,
            data={"sponsor_type": sponsor_type, "sponsor_name": sponsor_name},
        )
        notify(
            user=application.applicant,
            template="emails/payment_sponsored.txt",
            context={
                "application": application,
                "invoice": invoice,
                "link": portal_link("applicants:detail", application.pk),
            },
        )
    return invoice
