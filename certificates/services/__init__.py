"""Every write of the certificates app: one function per state change, each audited (see each module)."""

from .holder import (
    bnsp_numbers_import,
    certificate_bnsp_numbers_set,
    certificate_hand_over,
    handover_problems,
    use_agreement_sign,
)
from .issuance import certificate_issue, decision_letter_issue, issuance_run_execute, issuance_run_start
from .meetings import decision_record, meeting_close, meeting_convene, member_conflict_declare
from .pdfs import certificate_pdf_build, letter_pdf_build, minutes_pdf_build

__all__ = [
    "bnsp_numbers_import",
    "certificate_bnsp_numbers_set",
    "certificate_hand_over",
    "certificate_issue",
    "certificate_pdf_build",
    "decision_letter_issue",
    "decision_record",
    "handover_problems",
    "issuance_run_execute",
    "issuance_run_start",
    "letter_pdf_build",
    "meeting_close",
    "meeting_convene",
    "member_conflict_declare",
    "minutes_pdf_build",
    "use_agreement_sign",
]
