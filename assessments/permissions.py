"""Who may see what of an assessment (7.1.3: assessors see only the candidates assigned to them).

The assigned assessor may open the candidate's application, documents and APL-01/APL-02
PDFs, but only after declaring no conflict of interest (assignment ``active``). The rule
is registered with the applicants app, whose views answer 404 to everyone else.
"""

from .models import Assignment


def assigned_assessor_may_view(user, application):
    return Assignment.objects.filter(
        application=application, assessor__user=user, status=Assignment.Status.ACTIVE
    ).exists()
