"""FR.AK.02 and FR.AK.05 leave private storage only through here, for those who may see them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import private_file_response

from ..selectors import record_for_viewer, schedule_for_report_viewer

# Anyone logged in may ask; the selectors answer 404 unless the viewer may see the file.
any_role = role_required(*Role.values)


@require_GET
@any_role
def record_pdf(request, pk):
    """FR.AK.02: staff, the record's assessor, or the candidate it is about."""
    record = record_for_viewer(request.user, pk)
    if not record.is_submitted or not record.pdf:
        messages.info(request, _("The PDF is made once the record is submitted. Try again in a minute."))
        if record.application.applicant_id == request.user.pk:
            return redirect("assessments:candidate-detail", pk=record.assignment_id)
        if record.assessor.user_id == request.user.pk:
            return redirect("assessments:results", pk=record.assignment_id)
        return redirect("assessments:record-detail", pk=record.pk)
    reference = (record.application.reference or str(record.application.pk)).replace("/", "-")
    return private_file_response(record.pdf, filename=f"FR.AK.02-{reference}.pdf")


@require_GET
@any_role
def schedule_report_pdf(request, pk):
    """FR.AK.05: staff, or an assessor of the session."""
    schedule = schedule_for_report_viewer(request.user, pk)
    if not schedule.report_pdf:
        messages.info(request, _("The report is made once a record of this session is submitted."))
        if request.user.has_role(Role.STAFF, Role.ADMIN):
            return redirect("assessments:schedule-detail", pk=schedule.pk)
        return redirect("assessments:assessor-home")
    return private_file_response(schedule.report_pdf, filename=f"FR.AK.05-{schedule.number.replace('/', '-')}.pdf")
