"""Small helpers shared by the views: calling a service, serving a private file."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse

from lsp.errors import DomainError
from lsp.models import Role
from lsp.permissions import role_required

staff_or_team = role_required(Role.STAFF, Role.ADMIN, Role.TECHNICAL_TEAM)


def attempt(request, service, success_message=None, **kwargs):
    """Call ``service(**kwargs)``; on a refused action show why and return None."""
    try:
        result = service(**kwargs)
    except DomainError as error:
        messages.error(request, str(error))
        return None
    if success_message:
        messages.success(request, success_message)
    return result


def form_errors_to_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def private_file_response(name, *, filename, content_type="application/pdf"):
    """A file from private storage: always a download, never cached."""
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _private_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def certificate_file_response(certificate, *, filename):
    """The certificate PDF with the mark of its current status: the stored file when it carries that mark, else
    rendered now (the status changed since, or the certificate expired by date before the daily job ran)."""
    from ..services.pdfs import certificate_pdf_bytes, certificate_pdf_is_current

    if certificate_pdf_is_current(certificate):
        return private_file_response(certificate.pdf, filename=filename)
    if not certificate.pdf:
        raise Http404
    response = HttpResponse(certificate_pdf_bytes(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private_headers(response)
