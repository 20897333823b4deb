"""FR.AK.02 (record of one candidate) and FR.AK.05 (report of one session) as PDFs like the BNSP forms.

Rendered from Django templates through lsp.pdf (WeasyPrint, no network access), in the language
of the person the form is about; stored in private storage. Building again replaces the file,
so re-running a task is harmless.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from lsp.models import Organisation
from lsp.pdf import render_pdf, store_replacing

from ..models import AssessmentRecord, Assignment, Schedule
from ._common import candidate_units


def _replace(name, content, old):
    """Store ``content`` under ``name`` and remove the file it replaces if that one had another name."""
    saved = store_replacing(name, content)
    if old and old != saved and default_storage.exists(old):
        default_storage.delete(old)
    return saved


def record_pdf_context(record):
    assignment = record.assignment
    results = {
        result.unit_code: result for result in record.units.prefetch_related("elements", "evidence")
    }
    units = [{**unit, "result": results.get(unit["code"])} for unit in candidate_units(record.application)]
    return {
        "record": record,
        "assignment": assignment,
        "application": record.application,
        "schedule": assignment.schedule,
        "plan": assignment.plan_or_none(),
        "units": units,
        "organisation": Organisation.current(),
        "generated_at": timezone.now(),
    }


def record_pdf_build(*, record_id):
    """Render FR.AK.02 of a submitted record and replace the stored file. Returns the storage name."""
    record = (
        AssessmentRecord.objects.select_related("assignment__schedule__tuk", "application__applicant", "assessor__user")
        .filter(pk=record_id)
        .first()
    )
    if record is None or not record.is_submitted:
        return None
    language = record.application.applicant.preferred_language
    content = render_pdf("assessments/pdf/fr_ak_02.html", record_pdf_context(record), language=language)
    with transaction.atomic():
        locked = AssessmentRecord.objects.select_for_update().get(pk=record.pk)
        name = _replace(f"assessments/records/{record.uuid}/FR.AK.02.pdf", content, locked.pdf)
        locked.pdf, locked.pdf_built_at = name, timezone.now()
        locked.save(update_fields=["pdf", "pdf_built_at"])
    return name


def schedule_report_context(schedule):
    assignments = (
        schedule.assignments.exclude(status=Assignment.Status.REMOVED)
        .select_related("application", "assessor__user")
        .order_by("application__full_name", "id")
    )
    rows = [{"assignment": a, "record": a.record_or_none()} for a in assignments]
    return {
        "schedule": schedule,
        "rows": rows,
        "assessors": schedule.assessors.select_related("user"),
        "organisation": Organisation.current(),
        "generated_at": timezone.now(),
    }


def schedule_report_build(*, schedule_id):
    """Render FR.AK.05 (the session report) and replace the stored file. Returns the storage name."""
    schedule = Schedule.objects.select_related("scheme", "tuk").filter(pk=schedule_id).first()
    if schedule is None:
        return None
    content = render_pdf("assessments/pdf/fr_ak_05.html", schedule_report_context(schedule), language="id")
    with transaction.atomic():
        locked = Schedule.objects.select_for_update().get(pk=schedule.pk)
        name = _replace(f"assessments/schedules/{schedule.pk}/FR.AK.05.pdf", content, locked.report_pdf)
        locked.report_pdf, locked.report_pdf_built_at = name, timezone.now()
        locked.save(update_fields=["report_pdf", "report_pdf_built_at"])
    return name
