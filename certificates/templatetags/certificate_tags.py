"""Blocks this app adds to the role dashboards, fetched for ``request.user`` through the selectors."""

from django import template
from django.utils import timezone

from ..selectors import holder_certificates, holder_decisions, technical_team_summary

register = template.Library()


@register.inclusion_tag("certificates/includes/dashboard_technical_team.html", takes_context=True)
def technical_team_meetings(context):
    request = context["request"]
    return {"meetings": technical_team_summary(request.user), "request": request}


@register.inclusion_tag("certificates/includes/dashboard_holder.html", takes_context=True)
def holder_decisions_block(context):
    """The applicant's decisions (with the appeal deadline, 9.9.2) and certificates."""
    request = context["request"]
    return {
        "decisions": holder_decisions(request.user)[:10],
        "certificates": holder_certificates(request.user)[:10],
        "now": timezone.now(),
        "request": request,
    }


@register.inclusion_tag("certificates/includes/status_badge.html")
def certificate_status_badge(status, label):
    return {"status": status, "label": label}


@register.inclusion_tag("certificates/includes/dashboard_appeal_team.html", takes_context=True)
def appeal_team_block(context):
    """The appeals on the member's teams with their due dates and working days left (9.9.6)."""
    from ..selectors import appeal_team_summary

    request = context["request"]
    return {"appeals": appeal_team_summary(request.user), "request": request}


@register.inclusion_tag("certificates/includes/dashboard_staff_after_issue.html", takes_context=True)
def after_issue_staff_block(context):
    """Appeals, surveillance and sanction cases waiting for staff."""
    from ..selectors import after_issue_counts

    return {"counts": after_issue_counts(), "request": context["request"]}
