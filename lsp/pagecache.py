"""Public pages served to anonymous visitors from the cache, rendered once per change of what they show.

The catalogue and the verification pages are the busiest pages of the portal and cost far more
to render and look up than the bare framework (bench/README.md). For a visitor who is not
signed in and has no message waiting, such a page depends only on the language, the address
and the data of its *topic* ("catalogue", "certificates"). So the page is kept in the cache
under a key of those and of the topic's *stamp*: a random token that the models' signals
replace on every change of the topic and again after it commits (``bump``). A change therefore shows on the
very next request, in every process: the stamp is a file in the private storage, which the web
workers and the Celery workers share.

Signed-in pages share only *fragments* (``shared_fragment``): the part of a staff list that is
the same for every user the view lets in (the rows, the filter form, the page links), under the
same kind of key; the page around it (menu, messages, CSRF tokens) is rendered per request.

The stamp is read before the data, so a page rendered from data older than the stamp is never
filed under it. Pages that depend on the date (a certificate expires at midnight) add the day
to their key. Nothing per visitor may be on such a page: ``base.html`` leaves the CSRF token out
of the language switch for anonymous visitors (see ``lsp.views.pages.set_language``).
"""

import hashlib
import os
import secrets
from pathlib import Path

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TIMEOUT = 600
STAMP_FOLDER = ".public-pages"


def shareable(request):
    """Whether the page this request gets is the same for every visitor."""
    return request.method == "GET" and not request.user.is_authenticated and not len(get_messages(request))


def _stamp_path(topic):
    return Path(default_storage.path(STAMP_FOLDER)) / topic


def stamp(topic):
    """The topic's current token ("" before its first change)."""
    try:
        return _stamp_path(topic).read_text()
    except FileNotFoundError:
        return ""


def _write_stamp(topic):
    path = _stamp_path(topic)
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"{topic}.{secrets.token_hex(8)}")
    fresh.write_text(secrets.token_hex(16))
    os.replace(fresh, path)  # atomic: a reader sees the old token or the new one, never half of one


def bump(topic):
    """Retire every shared page of ``topic``: now, and again once the current transaction commits.

    The second stamp retires a page that another request may have rendered from the data as it
    was before the commit; the first one takes effect even where nothing commits (a test inside
    one transaction) and costs only a needless new page if the transaction is rolled back.
    """
    _write_stamp(topic)
    transaction.on_commit(lambda: _write_stamp(topic))


def page_key(request, topic, *, daily=False):
    """The cache key of the page this request gets, or None when the page is not shared.

    Call it before reading the page's data (see the module's docstring).
    """
    if not shareable(request):
        return None
    parts = (topic, stamp(topic), get_language(), request.get_full_path(), timezone.localdate() if daily else None)
    return "public-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_page(key):
    """The stored page under ``key`` as a response, or None."""
    entry = cache.get(key) if key else None
    if entry is None:
        return None
    status, body = entry
    return HttpResponse(body, status=status)


def render_public(request, template_name, context, *, key, status=200):
    """Render the page and, when it is shared, keep it under ``key``."""
    response = render(request, template_name, context, status=status)
    if key and not response.cookies:
        cache.set(key, (status, response.content), TIMEOUT)
    return response


def shared_fragment(request, name, topics, render):
    """The HTML that ``render()`` returns for this address and language, rendered once per change of ``topics``.

    Only for a part of a page that is the same for everyone who may see the page (the view checks
    who that is before asking): never a CSRF token, a message or the user's own data.
    """
    parts = (name, tuple(stamp(topic) for topic in topics), get_language(), request.get_full_path())
    key = "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
