"""PDFs from Django templates with WeasyPrint: local files only, in a chosen language.

Every PDF of the portal (scheme page, APL-01/02, FR.AK forms, Berita Acara, SK,
certificates) goes through ``render_pdf``; ``store_replacing`` keeps one file per name,
so a task that builds a PDF can run any number of times.

A process parses each stylesheet once and keeps one font configuration per thread: for a
certificate that is about a third of WeasyPrint's time (bench/README.md).
"""

import functools
import threading
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

_fonts = threading.local()


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    # Only local files and data: URIs; a URL that slipped into content is never fetched.
    return URLFetcher(allowed_protocols={"file", "data"})


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


@functools.lru_cache(maxsize=32)
def _parsed_stylesheet(path, modified):
    from weasyprint import CSS

    return CSS(filename=path, url_fetcher=_url_fetcher())


def stylesheet(path):
    """The parsed stylesheet at ``path``, parsed again only when the file changed."""
    path = Path(path).resolve()
    return _parsed_stylesheet(str(path), path.stat().st_mtime_ns)


def _html_class(ua_stylesheet):
    """WeasyPrint's ``HTML``, or a subclass whose user-agent stylesheet is the file ``ua_stylesheet``.

    WeasyPrint matches its whole HTML5 user-agent stylesheet against every element; a document
    that uses a handful of elements and is rendered in bulk (the certificate) brings its own,
    with just the rules of those elements (see certificate-ua.css and its pixel-for-pixel test).
    """
    from weasyprint import HTML

    if ua_stylesheet is None:
        return HTML
    return _html_with_ua(stylesheet(ua_stylesheet))


@functools.lru_cache(maxsize=8)
def _html_with_ua(sheet):
    from weasyprint import HTML

    class _HTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet]

    return _HTML


def render_pdf(template, context, *, language="id", base_dir=None, stylesheets=(), ua_stylesheet=None):
    """Render ``template`` in ``language`` and return the PDF bytes.

    ``base_dir`` is where relative URLs (fonts, images) are resolved: a folder of the app's
    templates, never a web address. ``stylesheets`` are the local CSS files of the document;
    ``ua_stylesheet`` replaces WeasyPrint's user-agent stylesheet (``_html_class``).
    """
    from PIL import ImageFile

    # Importing WeasyPrint relaxes Pillow process-wide to accept truncated images; uploads
    # must keep refusing them, so the default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with translation.override(language or "id"):
        html = render_to_string(template, context)
    base_url = Path(base_dir).resolve().as_uri() + "/" if base_dir else None
    document = _html_class(ua_stylesheet)(string=html, base_url=base_url, url_fetcher=_url_fetcher())
    return document.write_pdf(stylesheets=[stylesheet(path) for path in stylesheets], font_config=_font_config())


def store_replacing(name, content):
    """Save ``content`` under exactly ``name`` in private storage, replacing an older file."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
