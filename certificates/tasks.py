"""Background jobs of the certificates app. Tasks take ids, load, and call a service; all are safe to repeat."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_certificate_pdf(certificate_id):
    """Render one certificate; running it again replaces the file."""
    from .services.pdfs import certificate_pdf_build

    return certificate_pdf_build(certificate_id=certificate_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_minutes_pdf(meeting_id):
    """Render the Berita Acara of a closed meeting; running it again replaces the file."""
    from .services.pdfs import minutes_pdf_build

    return minutes_pdf_build(meeting_id=meeting_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_letter_pdf(letter_id):
    """Render the Surat Keputusan; running it again replaces the file."""
    from .services.pdfs import letter_pdf_build

    return letter_pdf_build(letter_id=letter_id)


@shared_task
def issue_certificates(run_id):
    """Issue every certificate of one SK: split into chunks, one task each, so that every worker process
    takes a share; the chunk that ends last closes the run."""
    from .services.issuance import issuance_run_begin

    run, chunks = issuance_run_begin(run_id=run_id)
    for chunk in chunks:
        issue_certificate_chunk.delay(run_id, chunk)
    return None if run is None else {"chunks": len(chunks)}


@shared_task
def issue_certificate_chunk(run_id, decision_ids):
    """Issue one chunk of an SK's certificates, updating the run's progress."""
    from .services.issuance import issuance_run_chunk

    run = issuance_run_chunk(run_id=run_id, decision_ids=decision_ids)
    return None if run is None else {"done": run.done, "failed": run.failed}


@shared_task
def expire_certificates():
    """Mark expired every valid certificate past its expiry date. It already runs inside the daily
    ``lsp.tasks.send_due_reminders`` (``certificates.reminders``); this task lets the beat schedule run it
    on its own as well (e.g. just after midnight). Safe to run any number of times."""
    from .reminders import expire_certificates as expire

    return expire()
