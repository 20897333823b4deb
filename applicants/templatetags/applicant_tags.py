"""Template helpers of the applicants app, and the blocks it adds to the role dashboards.

The dashboards (lsp/views/pages.py) pass only the role; these inclusion tags fetch what
they show for ``request.user``, through the app's selectors.
"""

from django import template
from django.utils.html import format_html

from ..models import Application
from ..snapshot import localized
from ..timeline import application_timeline, next_step

register = template.Library()


@register.filter
def tr(item, field):
    """Localised text of a snapshot entry (a dict): ``{{ unit|tr:"title" }}``."""
    return localized(item, field)


BADGE_CLASSES = {
    "accepted": "text-bg-success",
    "completed": "text-bg-success",
    "paid": "text-bg-success",
    "sponsored": "text-bg-success",
    "rejected": "text-bg-danger",
    "proof_rejected": "text-bg-danger",
    "revision_requested": "text-bg-warning",
    "unpaid": "text-bg-warning",
    "withdrawn": "text-bg-secondary",
    "draft": "text-bg-secondary",
}


@register.simple_tag
def status_badge(status, label):
    """The coloured badge of an application or invoice status (a tag, not an include: the staff list shows 100)."""
    return format_html(
        '<span class="badge {}" data-testid="status" data-status="{}">{}</span>',
        BADGE_CLASSES.get(status, "text-bg-info"), status, label,
    )


@register.filter
def section_label(code):
    try:
        return Application.Section(code).label
    except ValueError:
        return code


@register.inclusion_tag("applicants/includes/dashboard_applicant.html", takes_context=True)
def applicant_dashboard(context):
    from ..selectors import applications_of

    request = context["request"]
    rows = []
    for application in applications_of(request.user)[:20]:
        steps = application_timeline(application)
        rows.append({"application": application, "steps": steps, "next": next_step(steps)})
    return {"rows": rows, "request": request}


@register.inclusion_tag("applicants/includes/dashboard_staff.html", takes_context=True)
def staff_dashboard(context):
    from ..selectors import staff_counts

    return {"counts": staff_counts(), "request": context["request"]}


@register.inclusion_tag("applicants/includes/timeline.html")
def application_steps(application):
    steps = application_timeline(application)
    return {"steps": steps, "next": next_step(steps)}
