"""Template helpers of the applicants app, and the blocks it adds to the role dashboards.

The dashboards (lsp/views/pages.py) pass only the role; these inclusion tags fetch what
they show for ``request.user``, through the app's selectors.
"""

from django import template

from ..models import Application
from ..snapshot import localized
from ..timeline import application_timeline, next_step

register = template.Library()


@register.filter
def tr(item, field):
    """Localised text of a snapshot entry (a dict): ``{{ unit|tr:"title" }}``."""
    return localized(item, field)


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
