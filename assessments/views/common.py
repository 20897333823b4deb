"""What several pages show of one assessment: its stage, the plan, the results per unit."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import Assignment
from ..services import record_problems, record_recommendation
from ..services._common import candidate_units


@dataclass
class Stage:
    title: str
    done: bool
    detail: str = ""


def assignment_stages(assignment):
    """The steps of one candidate's assessment, each done or not, for the assessor and the candidate."""
    review = assignment.evidence_review_or_none()
    plan = assignment.plan_or_none()
    record = assignment.record_or_none()
    declared = assignment.status == Assignment.Status.ACTIVE
    return [
        Stage(_("Conflict of interest declared"), declared),
        Stage(_("APL-02 evidence reviewed (9.2.5)"), review is not None, review.get_outcome_display() if review else ""),
        Stage(_("Assessment plan proposed (9.2.3)"), plan is not None),
        Stage(_("Plan agreed by the candidate (9.2.4, FR.AK.01)"), bool(plan and plan.is_agreed)),
        Stage(
            _("Results submitted to the LSP (9.3.5)"),
            bool(record and record.is_submitted),
            record.get_recommendation_display() if record and record.is_submitted else "",
        ),
    ]


def units_with_results(record, units=None):
    units = units if units is not None else candidate_units(record.application)
    results = {}
    if record is not None:
        results = {r.unit_code: r for r in record.units.prefetch_related("elements", "evidence")}
    return [{**unit, "result": results.get(unit["code"])} for unit in units]


def record_context(record):
    assignment = record.assignment
    units = candidate_units(record.application)
    missing = record_problems(record, units)
    return {
        "record": record,
        "assignment": assignment,
        "application": record.application,
        "schedule": assignment.schedule,
        "plan": assignment.plan_or_none(),
        "units": units_with_results(record, units),
        "missing": missing,
        "preview": record_recommendation(record) if not missing else "",
    }
