"""The LSP's review of an application (9.1.5, 9.1.6): per document, then one outcome.

Outcomes: accept (the applicant becomes an asesi / peserta sertifikasi and an invoice is
issued), ask for a revision (opposite: ``application_resubmit``), or reject. Each is
emailed to the applicant after commit and kept in the audit log.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState
from lsp.notifications import notify
from lsp.workdays import add_working_days

from ..models import Application, Document
from ..snapshot import application_scheme
from ._common import REVISION_DUE_WORKING_DAYS, lock_application, portal_link, require_staff
from .payments import invoice_issue

S = Application.Status


def _pdfs_after_commit(application):
    from ..tasks import build_application_pdfs

    # The LSP's part of APL-01 (document verdicts, the recommendation) changes with the outcome.
    build_application_pdfs.delay_on_commit(application.pk)


def document_review(*, actor, document, verdict, note=""):
    """Record "memenuhi syarat" (meets) or "tidak memenuhi syarat" (fails), with a note, for one file."""
    if verdict not in (Document.Review.MEETS, Document.Review.FAILS):
        raise InvalidState(_("Choose whether the document meets the requirement."))
    with transaction.atomic():
        application = lock_application(document.application)
        require_staff(actor, application)
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.kind == Document.Kind.PAYMENT_PROOF:
            raise InvalidState(_("Transfer proofs are verified with the payment, not here."))
        if application.status != S.SUBMITTED:
            raise InvalidState(_("Documents are reviewed while the application is submitted for review."))
        if document.superseded_at is not None:
            raise InvalidState(_("This file was replaced; review the current one."))
        note = (note or "").strip()
        if verdict == Document.Review.FAILS and not note:
            raise InvalidState(_("Say why the document does not meet the requirement, so the applicant can fix it."))
        if document.review == verdict and document.review_note == note:
            return document
        previous = document.review
        document.review, document.review_note = verdict, note
        document.reviewed_by, document.reviewed_at = actor, timezone.now()
        document.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="document.review",
            obj=application,
            from_state=previous,
            to_state=verdict,
            reason=note,
            data={"document": str(document.uuid)},
        )
    return document


def application_request_revision(*, actor, application, note, sections=(), due=None):
    """Send the application back (9.1.5): the applicant sees what to fix and by when.

    Documents marked "tidak memenuhi syarat" are always part of what to fix.
    Opposite: ``application_resubmit``.
    """
    note = (note or "").strip()
    with transaction.atomic():
        application = lock_application(application)
        require_staff(actor, application)
        if application.status == S.REVISION_REQUESTED:
            return application
        if application.status != S.SUBMITTED:
            raise InvalidState(_("Only a submitted application can be sent back for revision."))
        sections = [section for section in Application.Section.values if section in set(sections)]
        failed = application.documents.filter(superseded_at__isnull=True, review=Document.Review.FAILS)
        if failed.filter(kind=Document.Kind.REQUIREMENT).exists() and Application.Section.DOCUMENTS not in sections:
            sections.append(Application.Section.DOCUMENTS)
        if failed.filter(kind=Document.Kind.EVIDENCE).exists() and Application.Section.SELF_ASSESSMENT not in sections:
            sections.append(Application.Section.SELF_ASSESSMENT)
        if not sections:
            raise InvalidState(_("Choose the parts to fix or mark the documents that do not meet the requirement."))
        if not note:
            raise InvalidState(_("Explain what the applicant must fix."))
        today = timezone.localdate()
        if due is not None and due < today:
            raise InvalidState(_("The revision due date cannot be in the past."))
        application.status = S.REVISION_REQUESTED
        application.revision_note = note
        application.revision_sections = sections
        application.revision_due = due or add_working_days(today, REVISION_DUE_WORKING_DAYS)
        application.save(update_fields=["status", "revision_note", "revision_sections", "revision_due", "updated_at"])
        audit_record(
            actor=actor,
            action="application.request_revision",
            obj=application,
            from_state=S.SUBMITTED,
            to_state=S.REVISION_REQUESTED,
            reason=note,
            data={"sections": sections, "documents": [str(uuid) for uuid in failed.values_list("uuid", flat=True)]},
        )
        notify(
            user=application.applicant,
            template="emails/application_revision_requested.txt",
            context={
                "application": application,
                "sections": [Application.Section(section).label for section in sections],
                "documents": list(failed),
                "link": portal_link("applicants:detail", application.pk),
            },
        )
    return application


def acceptance_problems(application):
    """Why the application cannot be accepted yet: every 9.1.2 document must be reviewed and meet it."""
    problems = []
    current = list(application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True))
    for requirement in application_scheme(application)["required_documents"]:
        files = [document for document in current if document.requirement_id == requirement["id"]]
        label = f"{requirement['clause']} {requirement['name']}"
        if not files:
            problems.append(_("%(document)s is missing.") % {"document": label})
        elif any(document.review == Document.Review.PENDING for document in files):
            problems.append(_("%(document)s is not reviewed yet.") % {"document": label})
        elif any(document.review == Document.Review.FAILS for document in files):
            problems.append(_("%(document)s does not meet the requirement.") % {"document": label})
    return problems


def application_accept(*, actor, application, payment_due=None):
    """Accept (9.1.6): the applicant becomes a peserta sertifikasi (asesi); the invoice is issued."""
    with transaction.atomic():
        application = lock_application(application)
        require_staff(actor, application)
        if application.status == S.ACCEPTED:
            return application
        if application.status != S.SUBMITTED:
            raise InvalidState(_("Only a submitted application can be accepted."))
        problems = acceptance_problems(application)
        if problems:
            raise InvalidState(
                _("The application cannot be accepted yet: %(problems)s") % {"problems": " ".join(map(str, problems))}
            )
        application.status = S.ACCEPTED
        application.decided_at, application.decided_by = timezone.now(), actor
        application.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        invoice = invoice_issue(actor=actor, application=application, due=payment_due)
        audit_record(
            actor=actor,
            action="application.accept",
            obj=application,
            from_state=S.SUBMITTED,
            to_state=S.ACCEPTED,
            data={"invoice": invoice.number},
        )
        notify(
            user=application.applicant,
            template="emails/application_accepted.txt",
            context={
                "application": application,
                "invoice": invoice,
                "link": portal_link("applicants:invoice", application.pk),
            },
        )
        _pdfs_after_commit(application)
    return application


def application_reject(*, actor, application, reason):
    """Reject with a reason (9.1.5): the applicant does not meet the scheme's requirements."""
    reason = (reason or "").strip()
    with transaction.atomic():
        application = lock_application(application)
        require_staff(actor, application)
        if application.status == S.REJECTED:
            return application
        if application.status != S.SUBMITTED:
            raise InvalidState(_("Only a submitted application can be rejected."))
        if not reason:
            raise InvalidState(_("Give the reason for the rejection."))
        application.status = S.REJECTED
        application.rejection_reason = reason
        application.decided_at, application.decided_by = timezone.now(), actor
        application.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by", "updated_at"])
        audit_record(
            actor=actor,
            action="application.reject",
            obj=application,
            from_state=S.SUBMITTED,
            to_state=S.REJECTED,
            reason=reason,
        )
        notify(
            user=application.applicant,
            template="emails/application_rejected.txt",
            context={"application": application, "link": portal_link("applicants:detail", application.pk)},
        )
        _pdfs_after_commit(application)
    return application
