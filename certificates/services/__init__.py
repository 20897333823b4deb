"""Every write of the certificates app: one function per state change, each audited (see each module)."""

from .appeals import (
    appeal_certificate_issue,
    appeal_decide,
    appeal_file,
    appeal_panel_form,
    appeal_reassessment_assign,
    appeal_receive,
    appeal_withdraw,
)
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
from .recertification import recertification_override_grant, recertification_start
from .sanctions import (
    certificate_reinstate,
    certificate_return_record,
    certificate_revoke,
    certificate_suspend,
    sanction_case_close,
    sanction_case_open,
    sanction_warn,
)
from .status import certificate_expire
from .surveillance import surveillance_evidence_submit, surveillance_record

__all__ = [
    "appeal_certificate_issue",
    "appeal_decide",
    "appeal_file",
    "appeal_panel_form",
    "appeal_reassessment_assign",
    "appeal_receive",
    "appeal_withdraw",
    "bnsp_numbers_import",
    "certificate_bnsp_numbers_set",
    "certificate_expire",
    "certificate_hand_over",
    "certificate_issue",
    "certificate_pdf_build",
    "certificate_reinstate",
    "certificate_return_record",
    "certificate_revoke",
    "certificate_suspend",
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
    "recertification_override_grant",
    "recertification_start",
    "sanction_case_close",
    "sanction_case_open",
    "sanction_warn",
    "surveillance_evidence_submit",
    "surveillance_record",
    "use_agreement_sign",
]
