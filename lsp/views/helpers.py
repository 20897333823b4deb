"""Small pieces the apps' views share: calling a service, showing form errors, paging, serving a private file."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404

from ..errors import DomainError


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


def paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def private_headers(response):
    """Headers for a file out of private storage: never sniffed, run, cached or given away in a referrer."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def private_file_response(name, *, filename, content_type="application/pdf", inline=False):
    """A file from private storage, never cached; a download unless ``inline`` (for re-encoded images)."""
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    return private_headers(response)
