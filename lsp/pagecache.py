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

Every page and fragment is kept in this process's memory, and, when the settings name a cache
that every process reads (``DJANGO_SHARED_CACHE_URL``, Redis on a server), there too: a page is
then rendered once for all the web workers instead of once in each. A process looks in its own
memory first and copies what it finds in the shared cache there, which is safe because a key
names one rendering of one version of the data and is never filled with anything else; a shared
cache that fails or is too slow to answer counts as a miss.

The stamp is read before the data, so a page rendered from data older than the stamp is never
filed under it. Pages that depend on the date (a certificate expires at midnight) add the day
to their key. Nothing per visitor may be on such a page: ``base.html`` leaves the CSRF token out
of the language switch for anonymous visitors (see ``lsp.views.pages.set_language``).
"""

import functools
import hashlib
import logging
import os
import secrets
import sys
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TIMEOUT = 600
STAMP_FOLDER = ".public-pages"
SHARED = "shared"  # the alias of the cache every process reads, when the settings have one

logger = logging.getLogger(__name__)


def _shared_cache():
    return caches[SHARED] if SHARED in settings.CACHES else None


def _get(key):
    """The value under ``key``: from this process's memory, else from the shared cache (then kept here)."""
    local = caches["default"]
    value = local.get(key)
    shared = _shared_cache() if value is None else None
    if shared is not None:
        try:
            value = shared.get(key)
        except Exception:  # a page is rendered again rather than refused
            logger.warning("Shared cache unavailable; rendering the page", exc_info=True)
            value = None
        if value is not None:
            local.set(key, value, TIMEOUT)
    return value


def _set(key, value):
    caches["default"].set(key, value, TIMEOUT)
    shared = _shared_cache()
    if shared is not None:
        try:
            shared.set(key, value, TIMEOUT)
        except Exception:
            logger.warning("Shared cache unavailable; the page is kept in this process only", exc_info=True)


def shareable(request):
    """Whether the page this request gets is the same for every visitor."""
    return request.method == "GET" and not request.user.is_authenticated and not len(get_messages(request))


def _stamp_path(topic):
    # A plain string: the stamp is read on every shared page, where building a Path costs more than the read.
    return os.path.join(default_storage.path(STAMP_FOLDER), topic)


def stamp(topic):
    """The topic's current token ("" before its first change)."""
    try:
        with open(_stamp_path(topic), "rb") as handle:
            return handle.read().decode()
    except FileNotFoundError:
        return ""


def _write_stamp(topic):
    path = Path(_stamp_path(topic))
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


def release_files():
    """The project's own code, templates and translations, in a fixed order (not the installed libraries,
    even where the virtual environment lies inside the project's folder)."""
    base = Path(settings.BASE_DIR)
    installed = Path(sys.prefix).resolve()
    apps_here = {Path(config.path).resolve() for config in apps.get_app_configs()}
    roots = sorted(path for path in apps_here if path.is_relative_to(base.resolve()) and not path.is_relative_to(installed))
    return [
        path
        for root in [*roots, base / "templates", base / "locale"]
        for path in sorted(root.rglob("*"))
        if path.suffix in (".py", ".html", ".mo") and path.is_file()
    ]


@functools.cache
def release():
    """A fingerprint of the code, templates and translations this process runs, and of Django's version: part
    of every key. A shared cache outlives a deployment; with this, a page rendered by the previous release is
    never served by the next one (every process of one release computes the same fingerprint)."""
    digest = hashlib.sha256(django.get_version().encode())
    base = Path(settings.BASE_DIR).resolve()
    for path in release_files():
        digest.update(str(path.resolve().relative_to(base)).encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or base) / "staticfiles.json"  # the hashed names of CSS and JS files
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def _key(kind, parts):
    return f"{kind}:" + hashlib.sha256(repr((release(), *parts)).encode()).hexdigest()


def page_key(request, topic, *, daily=False):
    """The cache key of the page this request gets, or None when the page is not shared.

    Call it before reading the page's data (see the module's docstring).
    """
    if not shareable(request):
        return None
    return _key(
        "public-page", (topic, stamp(topic), get_language(), request.get_full_path(), timezone.localdate() if daily else None)
    )


def cached_page(key):
    """The stored page under ``key`` as a response, or None."""
    entry = _get(key) if key else None
    if entry is None:
        return None
    status, body = entry
    return HttpResponse(body, status=status)


# Stand-ins that base.html puts where a framed page's content and the address of its language switch go.
FRAME_CONTENT = "<!--pagecache:content-->"
FRAME_PATH = "pagecache:path"


def _frame(request, template_name):
    """The page around the content of ``template_name`` for anonymous visitors in this language, in three pieces
    (before the address, before the content, after it): rendered once per language and release, then kept."""
    key = _key("frame", (template_name, get_language()))
    pieces = _get(key)
    if pieces is None:
        stand_ins = {"frame_content": mark_safe(FRAME_CONTENT), "frame_path": FRAME_PATH}  # noqa: S308 - a constant
        html = render_to_string(template_name, stand_ins, request)
        if html.count(FRAME_PATH) != 1 or html.count(FRAME_CONTENT) != 1 or html.index(FRAME_PATH) > html.index(FRAME_CONTENT):
            return None  # a template that does not follow base.html: render the whole page
        head, rest = html.split(FRAME_PATH)
        pieces = (head, *rest.split(FRAME_CONTENT))
        _set(key, pieces)
    return pieces


def render_public(request, template_name, context, *, key, status=200, content_template=None):
    """Render the page and, when it is shared, keep it under ``key``.

    With ``content_template`` (what ``template_name`` includes as its content), a shared page is put together
    from its frame (menu, header, footer: ``_frame``) and the content rendered for this request, so a first
    visit to one of many addresses costs only its content. ``template_name`` must then show nothing of
    ``context`` outside its content.
    """
    frame = _frame(request, template_name) if key and content_template else None
    if frame is not None:
        head, middle, tail = frame
        content = render_to_string(content_template, context, request)
        response = HttpResponse(head + escape(request.get_full_path()) + middle + content + tail, status=status)
    else:
        response = render(request, template_name, context, status=status)
    if key and not response.cookies:
        _set(key, (status, response.content))
    return response


def shared_fragment(request, name, topics, render):
    """The HTML that ``render()`` returns for this address and language, rendered once per change of ``topics``.

    Only for a part of a page that is the same for everyone who may see the page (the view checks
    who that is before asking): never a CSRF token, a message or the user's own data.
    """
    key = _key("fragment", (name, tuple(stamp(topic) for topic in topics), get_language(), request.get_full_path()))
    html = _get(key)
    if html is None:
        html = str(render())
        _set(key, html)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
