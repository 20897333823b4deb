import pytest
from django.core.files.storage import default_storage

from lsp.pdf import render_pdf, store_replacing


@pytest.mark.django_db
def test_render_pdf_in_the_requested_language():
    pdf = render_pdf("500.html", {}, language="en")
    assert pdf.startswith(b"%PDF")


def test_remote_resources_are_never_fetched(tmp_path):
    (tmp_path / "remote.html").write_text('<img src="http://example.invalid/x.png"><p>isi</p>')
    from django.test import override_settings

    with override_settings(TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                                       "DIRS": [str(tmp_path)]}]):
        pdf = render_pdf("remote.html", {})
    assert pdf.startswith(b"%PDF")  # the image is skipped, the document still renders


def test_store_replacing_keeps_one_file():
    for content in [b"%PDF-1", b"%PDF-2", b"%PDF-3"]:
        name = store_replacing("tests/one.pdf", content)
    assert name == "tests/one.pdf"
    assert default_storage.open(name).read() == b"%PDF-3"
    assert default_storage.listdir("tests")[1] == ["one.pdf"]


def test_a_stylesheet_is_parsed_once_and_again_when_it_changes(tmp_path):
    import os
    import subprocess

    from django.test import override_settings

    from lsp.pdf import stylesheet

    css = tmp_path / "doc.css"
    css.write_text("@page { size: A4; }")
    first = stylesheet(css)
    assert stylesheet(css) is first
    css.write_text("@page { size: A5; }")
    os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000))
    assert stylesheet(css) is not first
    (tmp_path / "doc.html").write_text("<p>Sertifikat</p>")
    with override_settings(TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                                       "DIRS": [str(tmp_path)]}]):
        pdf = render_pdf("doc.html", {}, stylesheets=[css])
    (tmp_path / "doc.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True).stdout
    assert "419.528 x 595.276" in info  # A5: the changed stylesheet, not the first one
