"""Public pages served to anonymous visitors from the cache, under a key of the very data they show.

The catalogue and the verification pages are the busiest pages of the portal and cost far more
to render than to look up (bench/README.md). For a visitor who is not signed in and has no
message waiting, the rendered page depends only on the template, the language, the address and
the data shown, so ``render_public`` keeps it under a key made of exactly those. The data is the
caller's ``fingerprint``, read from the database on every request: a changed fee or a suspended
certificate changes the key, so the next request shows it at once, with nothing to invalidate.
Nothing per visitor may be on such a page: ``base.html`` leaves the CSRF token out of the
language switch for anonymous visitors (see ``lsp.views.pages.set_language``).
"""

import hashlib

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

TIMEOUT = 600


def shareable(request):
    """Whether the page this request gets is the same for every visitor."""
    return request.method == "GET" and not request.user.is_authenticated and not len(get_messages(request))


def render_public(request, template_name, context, *, fingerprint, status=200):
    if not shareable(request):
        return render(request, template_name, context, status=status)
    parts = (template_name, get_language(), request.get_full_path(), status, fingerprint)
    key = "public-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    body = cache.get(key)
    if body is not None:
        return HttpResponse(body, status=status)
    response = render(request, template_name, context, status=status)
    if not response.cookies:
        cache.set(key, response.content, TIMEOUT)
    return response
