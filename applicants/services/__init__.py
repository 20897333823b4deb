"""Every write of the applicants app: one function per state change (see each module)."""

from .applications import (
    application_answer_save,
    application_choose_alternative,
    application_resubmit,
    application_start,
    application_start_recertification,
    application_submit,
    application_update_section,
    application_withdraw,
    submission_problems,
)
from .documents import document_remove, document_upload
from .payments import invoice_issue, payment_mark_sponsored, payment_proof_upload, payment_reject, payment_verify
from .pdfs import application_pdfs_build
from .questions import question_ask, question_reply
from .review import (
    acceptance_problems,
    application_accept,
    application_reject,
    application_request_revision,
    document_review,
)

__all__ = [
    "acceptance_problems",
    "application_accept",
    "application_answer_save",
    "application_choose_alternative",
    "application_pdfs_build",
    "application_reject",
    "application_request_revision",
    "application_resubmit",
    "application_start",
    "application_start_recertification",
    "application_submit",
    "application_update_section",
    "application_withdraw",
    "document_remove",
    "document_review",
    "document_upload",
    "invoice_issue",
    "payment_mark_sponsored",
    "payment_proof_upload",
    "payment_reject",
    "payment_verify",
    "question_ask",
    "question_reply",
    "submission_problems",
]
