"""The scheme page as a PDF, through lsp.pdf (WeasyPrint, local files only)."""

from pathlib import Path

from django.utils import translation

from lsp.pdf import render_pdf

# Kept beside the template, not in static/: the PDF needs no web server and no network.
PDF_CSS = Path(__file__).resolve().parent / "templates" / "schemes" / "pdf" / "scheme.css"


def scheme_pdf_bytes(*, page):
    """Render ``selectors.scheme_page`` in the active language. Same input, same output: safe to repeat."""
    return render_pdf(
        "schemes/pdf/scheme.html",
        {"page": page, "scheme": page.scheme},
        language=translation.get_language(),
        base_dir=PDF_CSS.parent,
        stylesheets=[PDF_CSS],
    )
