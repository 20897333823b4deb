"""Public verification of a certificate (no login): by number, or from the QR code's address.

Shows only what a verifier needs (holder name, number, scheme and units, dates, live status)
through ``selectors.PublicCertificate``; nothing else personal (7.1.3). Rate-limited per IP. The
rendered result is shared between anonymous visitors until a certificate changes or the day
ends (``lsp.pagecache``), so a suspension shows on the next request.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lsp.pagecache import cached_page, page_key, render_public

from ..forms import VerifyForm
from ..ratelimit import over_limit
from ..selectors import certificate_public_by_code, certificate_public_by_number
from ..signals import CERTIFICATES

TEMPLATE = "certificates/public/verify.html"
CONTENT = "certificates/public/_verify_content.html"  # what TEMPLATE shows inside base.html


def _too_many(request, form):
    return render(
        request,
        TEMPLATE,
        {"form": form, "throttled": _("Too many verification requests from your address. Wait a minute and try again.")},
        status=429,
    )


@require_GET
@never_cache
def verify_search(request):
    number = request.GET.get("number")
    if number is None:
        return render(request, TEMPLATE, {"form": VerifyForm()})
    if over_limit(request):
        return _too_many(request, VerifyForm(request.GET))
    key = page_key(request, CERTIFICATES, daily=True)
    page = cached_page(key)
    if page is not None:
        return page
    form = VerifyForm(request.GET)
    certificate = certificate_public_by_number(number) if form.is_valid() else None
    return render_public(
        request, TEMPLATE, {"form": form, "searched": True, "certificate": certificate},
        key=key, status=200 if certificate else 404, content_template=CONTENT,
    )


@require_GET
@never_cache
def verify_code(request, code):
    """The QR code's target."""
    form = VerifyForm()
    if over_limit(request):
        return _too_many(request, form)
    key = page_key(request, CERTIFICATES, daily=True)
    page = cached_page(key)
    if page is not None:
        return page
    certificate = certificate_public_by_code(code)
    return render_public(
        request, TEMPLATE, {"form": form, "searched": True, "certificate": certificate, "from_qr": True},
        key=key, status=200 if certificate else 404, content_template=CONTENT,
    )
