"""Blocks the assessments app adds to the role dashboards (which pass only the role)."""

from django import template

register = template.Library()


@register.inclusion_tag("assessments/includes/assessor_assignments.html", takes_context=True)
def assessor_assignments(context):
    """The candidates assigned to the logged-in assessor."""
    from ..selectors import assignments_for_assessor

    return {"assignments": assignments_for_assessor(context["request"].user), "request": context["request"]}


@register.inclusion_tag("assessments/includes/candidate_assessments.html", takes_context=True)
def candidate_assessments(context):
    """The logged-in candidate's schedules: date, time, TUK and what to do next."""
    from ..selectors import assignments_for_candidate

    return {"assignments": assignments_for_candidate(context["request"].user)[:20], "request": context["request"]}
