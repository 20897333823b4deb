"""Background jobs of the applicants app. Tasks take ids, load, and call a service."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_application_pdfs(application_id):
    """Render APL-01 and APL-02 of one application; running it again replaces the files."""
    from .services.pdfs import application_pdfs_build

    names = application_pdfs_build(application_id=application_id)
    return names
