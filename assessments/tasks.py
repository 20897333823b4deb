"""Background jobs of the assessments app. Tasks take ids, load, and call a service."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_record_pdf(record_id):
    """Render FR.AK.02 of one submitted record; running it again replaces the file."""
    from .services.pdfs import record_pdf_build

    return record_pdf_build(record_id=record_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_schedule_report(schedule_id):
    """Render FR.AK.05 of one session; running it again replaces the file."""
    from .services.pdfs import schedule_report_build

    return schedule_report_build(schedule_id=schedule_id)
