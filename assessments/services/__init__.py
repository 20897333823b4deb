"""Every write of the assessments app: one function per state change, each audited (see each module)."""

from .pdfs import record_pdf_build, schedule_report_build
from .registries import tuk_create, tuk_verify
from .results import (
    feedback_submit,
    record_problems,
    record_recommendation,
    record_reopen,
    record_submit,
    register_reopen_guard,
    unit_result_save,
)
from .scheduling import (
    assignment_assign_assessor,
    assignment_declare,
    assignment_remove,
    schedule_add_candidate,
    schedule_cancel,
    schedule_create,
)
from .workspace import evidence_review_record, plan_agree, plan_save

__all__ = [
    "assignment_assign_assessor",
    "assignment_declare",
    "assignment_remove",
    "evidence_review_record",
    "feedback_submit",
    "plan_agree",
    "plan_save",
    "record_pdf_build",
    "record_problems",
    "record_recommendation",
    "record_reopen",
    "record_submit",
    "register_reopen_guard",
    "schedule_add_candidate",
    "schedule_cancel",
    "schedule_create",
    "schedule_report_build",
    "tuk_create",
    "tuk_verify",
    "unit_result_save",
]
