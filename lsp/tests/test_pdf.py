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
