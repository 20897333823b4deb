"""Assessment models: registries (9.2.2, 9.3.2), schedules and assignments, the assessor's
workspace (9.2.3–9.2.6) and the test record with its recommendation (9.3.3–9.3.5)."""

from .choices import FEEDBACK_QUESTIONS, ConflictKind, Method, Verdict
from .records import AssessmentFeedback, AssessmentRecord, ElementResult, EvidenceItem, UnitResult
from .registries import Assessor, Tuk, TukVerification
from .scheduling import Assignment, ConflictDeclaration, Schedule
from .workspace import AssessmentPlan, EvidenceReview, EvidenceReviewUnit, PlanUnit

__all__ = [
    "FEEDBACK_QUESTIONS",
    "AssessmentFeedback",
    "AssessmentPlan",
    "AssessmentRecord",
    "Assessor",
    "Assignment",
    "ConflictDeclaration",
    "ConflictKind",
    "ElementResult",
    "EvidenceItem",
    "EvidenceReview",
    "EvidenceReviewUnit",
    "Method",
    "PlanUnit",
    "Schedule",
    "Tuk",
    "TukVerification",
    "UnitResult",
    "Verdict",
]
