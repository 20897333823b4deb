"""PDFs from Django templates with WeasyPrint: local files only, in a chosen language.

Every PDF of the portal (scheme page, APL-01/02, FR.AK forms, Berita Acara, SK,
certificates) goes through ``render_pdf``; ``store_replacing`` keeps one file per name,
so a task that builds a PDF can run any number of times.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template, context, *, language="id", base_dir=None, stylesheets=()):
    """Render ``template`` in ``language`` and return the PDF bytes.

    ``base_dir`` is where relative URLs (stylesheets, fonts, images) are resolved: a folder
    of the app's templates, never a web address. ``stylesheets`` are local CSS files applied
    on top of the template's own styles.
    """
    from PIL import ImageFile
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint relaxes Pillow process-wide to accept truncated images; uploads
    # must keep refusing them, so the default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with translation.override(language or "id"):
        html = render_to_string(template, context)
    base_url = Path(base_dir).resolve().as_uri() + "/" if base_dir else None
    # Only local files and data: URIs; a URL that slipped into content is never fetched.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    css = [CSS(filename=str(path), url_fetcher=fetcher) for path in stylesheets]
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(stylesheets=css)


def store_replacing(name, content):
    """Save ``content`` under exactly ``name`` in private storage, replacing an older file."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
