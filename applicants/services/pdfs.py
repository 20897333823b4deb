"""APL-01 and APL-02 as PDFs laid out like the BNSP forms, kept in private storage.

Rendered from Django templates through lsp.pdf (WeasyPrint, no network access), in the applicant's
language. Building again replaces the stored files, so re-running the task is harmless.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from lsp.models import Organisation
from lsp.pdf import render_pdf, store_replacing

from ..models import Application, Document
from ..snapshot import application_scheme, assessment_items

logger = logging.getLogger(__name__)

PDF_FORMS = {"apl01": ("applicants/pdf/apl01.html", "APL-01"), "apl02": ("applicants/pdf/apl02.html", "APL-02")}


def pdf_context(application):
    scheme = application_scheme(application)
    answers = {(a.unit_code, a.element_index): a for a in application.answers.prefetch_related("evidence")}
    items = [{**item, "answer": answers.get(item["key"])} for item in assessment_items(scheme)]
    documents = list(
        application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True).order_by("uploaded_at")
    )
    requirements = [
        {**requirement, "files": [d for d in documents if d.requirement_id == requirement["id"]]}
        for requirement in scheme["required_documents"]
    ]
    return {
        "application": application,
        "scheme": scheme,
        "items": items,
        "requirements": requirements,
        "organisation": Organisation.current(),
        "generated_at": timezone.now(),
    }


def application_pdfs_build(*, application_id):
    """Render both forms and replace the stored files. Returns the storage names."""
    application = Application.objects.select_related("applicant", "scheme").filter(pk=application_id).first()
    if application is None or not application.was_submitted:
        return None
    context = pdf_context(application)
    language = application.applicant.preferred_language
    names = {}
    for key, (template, label) in PDF_FORMS.items():
        content = render_pdf(template, context, language=language)
        names[key] = store_replacing(f"applicants/pdf/{application.uuid}/{label}.pdf", content)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        stale = {getattr(locked, f"{key}_pdf") for key in names} - set(names.values())
        locked.apl01_pdf, locked.apl02_pdf = names["apl01"], names["apl02"]
        locked.pdf_built_at = timezone.now()
        locked.save(update_fields=["apl01_pdf", "apl02_pdf", "pdf_built_at"])
    for name in stale:
        if name and default_storage.exists(name):
            default_storage.delete(name)
    return names
