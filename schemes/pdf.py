"""The scheme page as a PDF (WeasyPrint), from local files only."""

from pathlib import Path

from django.template.loader import render_to_string

# Kept beside the template, not in static/: the PDF needs no web server and no network.
PDF_CSS = Path(__file__).resolve().parent / "templates" / "schemes" / "pdf" / "scheme.css"


def scheme_pdf_bytes(*, page):
    """Render ``selectors.scheme_page`` in the active language. Same input, same output: safe to repeat."""
    # Imported here: WeasyPrint is heavy and logs on import; only this view needs it.
    from PIL import ImageFile
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint switches Pillow, process-wide, to accept truncated images; uploads
    # (applicants' evidence) must keep refusing them, so Pillow's default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = render_to_string("schemes/pdf/scheme.html", {"page": page, "scheme": page.scheme})
    # Only local files and data: URIs; a stray http(s) URL in content is never fetched.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=html, base_url=str(PDF_CSS.parent), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(filename=str(PDF_CSS), url_fetcher=fetcher)])
