"""Pieces only this app's views share: who may use the meeting pages, serving a certificate PDF."""

from django.http import Http404, HttpResponse

from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import private_file_response, private_headers

staff_or_team = role_required(Role.STAFF, Role.ADMIN, Role.TECHNICAL_TEAM)


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
    return private_headers(response)
