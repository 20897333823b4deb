"""The public catalogue: no login; only active schemes exist for the public."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from lsp.pagecache import cached_page, page_key, render_public

from . import selectors
from .pdf import scheme_pdf_bytes
from .signals import CATALOGUE


@require_GET
def scheme_list(request):
    key = page_key(request, CATALOGUE)
    page = cached_page(key)
    if page is not None:
        return page
    schemes = selectors.scheme_list_public()
    return render_public(request, "schemes/scheme_list.html", {"schemes": schemes}, key=key)


@require_GET
def scheme_detail(request, slug):
    scheme = get_object_or_404(selectors.scheme_public_queryset(), slug=slug)
    page = selectors.scheme_page(scheme=scheme)
    return render(request, "schemes/scheme_detail.html", {"page": page, "scheme": scheme})


@require_GET
def scheme_pdf(request, slug):
    # Rendered in the request: one scheme is a few pages and takes well under a second.
    scheme = get_object_or_404(selectors.scheme_public_queryset(), slug=slug)
    response = HttpResponse(scheme_pdf_bytes(page=selectors.scheme_page(scheme=scheme)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="skema-{scheme.slug}.pdf"'
    return response
