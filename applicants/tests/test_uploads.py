"""Uploads are personal data (KTP, photos, diplomas): hostile files are refused and leave nothing behind."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from applicants import services
from applicants.models import Document
from applicants.snapshot import application_scheme
from applicants.uploads import MAX_UPLOAD_BYTES, UploadRefused, display_name, inspect_upload

from .conftest import storage_files
from .files import (
    RawNamedFile,
    good_jpeg,
    good_pdf,
    good_png,
    jpeg_bytes,
    pdf_bytes,
    pdf_with_compressed_javascript,
    png_bytes,
    png_claiming_size,
    upload,
)

EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200

HOSTILE = {
    # An executable renamed .pdf (and an ELF binary renamed .jpg): refused by content, whatever the name.
    "exe_renamed_pdf": (lambda: upload("ktp.pdf", EXECUTABLE, "application/pdf"), "Only PDF, JPEG and PNG"),
    "elf_renamed_jpg": (lambda: upload("foto.jpg", ELF, "image/jpeg"), "Only PDF, JPEG and PNG"),
    "html_renamed_png": (lambda: upload("foto.png", b"<html><script>alert(1)</script></html>"), "Only PDF"),
    # HTML/JS polyglots: a real image with markup after its end.
    "jpeg_with_script_after_end": (
        lambda: upload("foto.jpg", jpeg_bytes() + b"<script>alert(document.cookie)</script>", "image/jpeg"),
        "hidden web code",
    ),
    "png_with_html_after_end": (
        lambda: upload("foto.png", png_bytes() + b"<html><body onload=alert(1)>", "image/png"),
        "hidden web code",
    ),
    "png_with_trailing_bytes": (lambda: upload("foto.png", png_bytes() + b"PK\x03\x04zipzip"), "after its end"),
    "truncated_jpeg": (lambda: upload("foto.jpg", jpeg_bytes((400, 300))[:600], "image/jpeg"), "damaged"),
    "truncated_png": (lambda: upload("foto.png", png_bytes((300, 300))[:120], "image/png"), "damaged"),
    "jpeg_header_only": (lambda: upload("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50), "damaged"),
    # PDFs that act on their own.
    "pdf_with_javascript": (
        lambda: upload("ktp.pdf", pdf_bytes(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
        "scripts",
    ),
    "pdf_with_hex_escaped_javascript": (
        lambda: upload("ktp.pdf", pdf_bytes(catalog_extra=b"/OpenAction << /S /J#61vaScript /J#53 (x) >>")),
        "scripts",
    ),
    "pdf_with_compressed_javascript": (lambda: upload("ktp.pdf", pdf_with_compressed_javascript()), "scripts"),
    "pdf_with_launch_action": (
        lambda: upload("ktp.pdf", pdf_bytes(catalog_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >>")),
        "scripts",
    ),
    "pdf_with_embedded_file": (
        lambda: upload("ktp.pdf", pdf_bytes(catalog_extra=b"/Names << /EmbeddedFiles << /Names [] >> >>")),
        "scripts",
    ),
    "pdf_encrypted": (lambda: upload("ktp.pdf", pdf_bytes(catalog_extra=b"/Encrypt 9 0 R")), "password"),
    "pdf_without_end": (lambda: upload("ktp.pdf", pdf_bytes().replace(b"%%EOF", b"")), "incomplete"),
    # Size.
    "oversized": (lambda: upload("ktp.pdf", pdf_bytes() + b"0" * MAX_UPLOAD_BYTES), "larger than 5 MB"),
    "empty": (lambda: upload("ktp.pdf", b""), "empty"),
    # Pixel bombs: a few bytes that claim a huge picture.
    "pixel_bomb_400_megapixels": (lambda: upload("foto.png", png_claiming_size(20_000, 20_000)), "megapixels"),
    "pixel_bomb_49_megapixels": (lambda: upload("foto.png", png_claiming_size(7_000, 7_000)), "megapixels"),
    # Names.
    "path_traversal_name": (lambda: RawNamedFile("../../etc/cron.d/ktp.pdf", pdf_bytes()), "file name"),
    "windows_path_name": (lambda: RawNamedFile("..\\..\\ktp.pdf", pdf_bytes()), "file name"),
    "double_extension_exe": (lambda: upload("ktp.pdf.exe", pdf_bytes()), "double or dangerous"),
    "double_extension_hidden_exe": (lambda: upload("ktp.exe.pdf", pdf_bytes()), "double or dangerous"),
    "double_extension_html": (lambda: upload("foto.html.jpg", jpeg_bytes()), "double or dangerous"),
    "extension_does_not_match_content": (lambda: upload("foto.png", jpeg_bytes()), "does not match"),
    "no_extension": (lambda: upload("ktp", pdf_bytes()), "does not match"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_upload_is_refused_and_nothing_is_stored_9_1_2(case, draft, applicant):
    make_file, message = HOSTILE[case]
    requirement = application_scheme(draft)["required_documents"][0]
    rows_before, files_before = Document.objects.count(), storage_files()
    with pytest.raises(UploadRefused) as refused:
        services.document_upload(
            actor=applicant,
            application=draft,
            kind=Document.Kind.REQUIREMENT,
            uploaded_file=make_file(),
            requirement_id=requirement["id"],
        )
    assert message in str(refused.value)
    assert Document.objects.count() == rows_before
    assert storage_files() == files_before


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["exe_renamed_pdf", "jpeg_with_script_after_end", "pdf_with_javascript", "oversized"])
def test_hostile_upload_through_the_page_shows_the_reason_and_stores_nothing(case, client, draft, applicant):
    make_file, message = HOSTILE[case]
    requirement = application_scheme(draft)["required_documents"][0]
    client.force_login(applicant)
    files_before = storage_files()
    url = reverse("applicants:upload-requirement", args=[draft.pk, requirement["id"]])
    response = client.post(
        url,
        {f"r{requirement['id']}-requirement": requirement["id"], f"r{requirement['id']}-file": make_file()},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message.split(" ")[0] in page
    assert Document.objects.filter(application=draft).count() == draft.documents.count()
    assert storage_files() == files_before


@pytest.mark.django_db
def test_jpeg_is_reencoded_without_exif_or_gps(draft, applicant):
    requirement = application_scheme(draft)["required_documents"][1]
    original = good_jpeg("pasfoto.jpg", exif_gps=True)
    assert Image.open(io.BytesIO(original.read())).getexif().get(0x8825) is not None
    original.seek(0)
    document = services.document_upload(
        actor=applicant, application=draft, kind="requirement", uploaded_file=original, requirement_id=requirement["id"]
    )
    with default_storage.open(document.storage_name) as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        stored.load()
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert document.content_type == "image/jpeg"


@pytest.mark.django_db
def test_png_text_chunks_are_dropped():
    clean = inspect_upload(upload("scan.png", png_bytes(text="GPS -6.9,107.6 rahasia")))
    assert b"rahasia" not in clean.content
    assert Image.open(io.BytesIO(clean.content)).size == (40, 40)


@pytest.mark.django_db
def test_stored_under_a_random_name_in_private_storage_with_a_clean_display_name(draft, applicant, settings):
    requirement = application_scheme(draft)["required_documents"][0]
    document = services.document_upload(
        actor=applicant,
        application=draft,
        kind="requirement",
        uploaded_file=good_pdf("KTP Ani <asli>.pdf"),
        requirement_id=requirement["id"],
    )
    assert "KTP" not in document.storage_name
    assert document.storage_name.startswith("applicants/")
    assert document.original_name == "KTP Ani _asli_.pdf"
    assert not document.storage_name.startswith(settings.MEDIA_URL or "/media/")
    assert default_storage.exists(document.storage_name)


def test_display_name_keeps_only_the_last_part():
    assert display_name("C:\\Users\\ani\\ktp.pdf") == "ktp.pdf"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("\x00\x07") == "dokumen"
    assert len(display_name("a" * 300 + ".pdf")) <= 120


@pytest.mark.parametrize("make", [good_pdf, good_jpeg, good_png])
def test_good_files_pass(make):
    clean = inspect_upload(make())
    assert clean.size > 0
    assert clean.content_type in {"application/pdf", "image/jpeg", "image/png"}


def test_an_image_that_does_not_fully_decode_is_refused_even_after_weasyprint_relaxed_pillow(monkeypatch):
    from PIL import ImageFile

    from .files import png_with_missing_pixels

    # WeasyPrint sets this process-wide when imported (the PDF task runs in the same process).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(UploadRefused, match="damaged"):
        inspect_upload(upload("foto.png", png_with_missing_pixels()))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was found
