"""The "proof" issue's hostile corpus: every file refused with a clear message, no row and no byte stored.

Two levels. ``inspect_upload`` (and the ``document_upload`` service) get the file with its name
exactly as an attacker wrote it. The upload pages get it as a browser or curl would send it, a
multipart POST by the logged-in owner; Django's parser has cleaned the name by then, so a few
names arrive harmless and are stored, only ever under a random storage name (said per case in
``hostile_corpus.CORPUS``).
"""

import hashlib
import html
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from applicants import services
from applicants.models import Document, Invoice, PaymentProof
from applicants.snapshot import application_scheme
from applicants.uploads import BIDI_CONTROLS, MAX_UPLOAD_BYTES, UploadRefused, inspect_upload

from .conftest import reload, storage_files
from .files import RawNamedFile, jpeg_bytes, pdf_bytes, upload
from .hostile_corpus import (
    CORPUS,
    JPEG,
    KINDS,
    MULTIPART,
    NEUTRALISED_BY_DJANGO,
    PDF,
    PNG,
    Refused,
    StoredAs,
    jpeg_padded_to,
    jpeg_with_comment,
    multipart,
    pdf_padded_to,
    png_padded_to,
)

CASES = {case.id: case for case in CORPUS}
REFUSED_BY_THE_PAGE = sorted(case.id for case in CORPUS if isinstance(case.page_outcome, Refused))
STORED_BY_THE_PAGE = sorted(case.id for case in CORPUS if isinstance(case.page_outcome, StoredAs))
ERROR_ALERT = re.compile(r'<div class="alert alert-danger" role="alert">(.*?)</div>', re.DOTALL)
RANDOM_STORAGE_NAME = re.compile(r"applicants/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)")


def error_alerts(response):
    return [html.unescape(text) for text in ERROR_ALERT.findall(response.content.decode())]


def files_under(root):
    """Every file below ``root`` with a hash of its bytes: what the test's storage (and its parent) holds."""
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in Path(root).rglob("*") if path.is_file()}


def storage_root():
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


# --- the corpus itself --------------------------------------------------------------------------


def test_the_corpus_is_made_in_code_and_covers_every_kind_the_issue_names():
    assert len(CORPUS) >= 40
    assert len(CASES) == len(CORPUS), "case ids are unique"
    assert {case.kind for case in CORPUS} == set(KINDS)
    names = [case.name for case in CORPUS if case.kind == "name"]
    for needle in ("../", "\x00", "\r\n", "\u202e", ".pdf.exe", ".exe.pdf"):
        assert any(needle in name for name in names), needle
    # The declared content type is a lie in many cases (an executable "application/pdf", SVG "image/png").
    assert sum(case.spoofs_content_type for case in CORPUS) >= 20
    oversize = [case for case in CORPUS if case.kind == "oversize"]
    assert oversize and all(len(case.content) == MAX_UPLOAD_BYTES + 1 for case in oversize)


@pytest.mark.parametrize("size", [MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES + 1])
@pytest.mark.parametrize(
    "make, name", [(pdf_padded_to, "ktp.pdf"), (jpeg_padded_to, "foto.jpg"), (png_padded_to, "a.png")]
)
def test_the_oversize_files_are_valid_and_only_the_extra_byte_refuses_them(make, name, size):
    if size == MAX_UPLOAD_BYTES:
        assert inspect_upload(RawNamedFile(name, make(size))).size > 0
    else:
        with pytest.raises(UploadRefused, match="larger than 5 MB"):
            inspect_upload(RawNamedFile(name, make(size)))


# --- level 1: the check, with the raw hostile name ----------------------------------------------


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_the_check_refuses_the_raw_file_with_a_clear_message(case_id):
    case = CASES[case_id]
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(RawNamedFile(case.name, case.content))
    assert case.message in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize("case_id", sorted(case.id for case in CORPUS if case.kind == "name"))
def test_the_service_refuses_a_raw_hostile_name_and_stores_nothing(case_id, draft, applicant, tmp_path):
    case = CASES[case_id]
    requirement = application_scheme(draft)["required_documents"][0]
    rows, everything = list(Document.objects.values_list("pk", flat=True)), files_under(tmp_path)
    with pytest.raises(UploadRefused) as refused:
        services.document_upload(
            actor=applicant,
            application=draft,
            kind=Document.Kind.REQUIREMENT,
            uploaded_file=RawNamedFile(case.name, case.content),
            requirement_id=requirement["id"],
        )
    assert case.message in str(refused.value)
    assert list(Document.objects.values_list("pk", flat=True)) == rows
    assert files_under(tmp_path) == everything


# --- level 2: the upload pages, as a browser (or curl) sends the file ----------------------------


@pytest.fixture
def upload_page(client, draft, applicant, tmp_path):
    """Post one file to an upload page as the logged-in owner; see what the database and disk hold."""
    client.force_login(applicant)
    requirement = application_scheme(draft)["required_documents"][0]

    def target(view, application):
        if view == "requirement":
            prefix = f"r{requirement['id']}"
            url = reverse("applicants:upload-requirement", args=[application.pk, requirement["id"]])
            return url, {f"{prefix}-requirement": requirement["id"]}, f"{prefix}-file"
        if view == "evidence":
            return reverse("applicants:upload-evidence", args=[application.pk]), {"title": "Bukti"}, "file"
        return reverse("applicants:invoice", args=[application.pk]), {}, "file"

    class Page:
        def post(self, view, application, files):
            url, fields, field = target(view, application)
            body = multipart(fields, [(field, *file) for file in files])
            return client.post(url, data=body, content_type=MULTIPART, follow=True)

        @staticmethod
        def state(application):
            invoice = Invoice.objects.filter(application=application).values("status", "amount", "number").first()
            return {
                "rows": list(Document.objects.order_by("pk").values_list("pk", "storage_name", "superseded_at")),
                "proofs": list(PaymentProof.objects.values_list("pk", "status")),
                "invoice": invoice,
                "updated_at": reload(application).updated_at,
                "storage": storage_files(),
                # The storage's parent too, so a name that climbed out of the storage would show.
                "disk": files_under(tmp_path),
            }

    return Page()


def _application_for(view, request):
    return request.getfixturevalue("accepted" if view == "invoice" else "draft")


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["requirement", "evidence", "invoice"])
@pytest.mark.parametrize("case_id", REFUSED_BY_THE_PAGE)
def test_the_upload_page_refuses_it_with_the_reason_and_stores_nothing(case_id, view, upload_page, request):
    case = CASES[case_id]
    application = _application_for(view, request)
    before = upload_page.state(application)
    response = upload_page.post(view, application, [(case.name, case.content, case.content_type)])
    assert response.status_code == 200
    alerts = error_alerts(response)
    assert any(case.page_outcome.message in alert for alert in alerts), alerts
    assert "alert-success" not in response.content.decode()
    assert upload_page.state(application) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, expected",
    [
        pytest.param(CASES[i].name, CASES[i].content, CASES[i].page_outcome.display_name, id=i)
        for i in STORED_BY_THE_PAGE
    ]
    + [pytest.param(name, pdf_bytes(), expected, id=i) for i, name, expected in NEUTRALISED_BY_DJANGO],
)
def test_a_name_django_already_neutralised_is_stored_only_under_a_random_name(
    name, content, expected, upload_page, draft
):
    """Path parts, NUL, CR/LF and bidi controls never reach the view: Django's parser removed them.

    The content is a valid PDF, so the file is kept; what must not survive is the name: it is
    shown cleaned, and the bytes sit under a random name inside the private storage, nowhere else.
    """
    before = upload_page.state(draft)
    response = upload_page.post("requirement", draft, [(name, content, PDF)])
    assert error_alerts(response) == []
    assert "File uploaded." in response.content.decode()
    document = Document.objects.exclude(pk__in=[row[0] for row in before["rows"]]).get()
    assert document.original_name == expected
    assert not any(ch in document.original_name for ch in "/\\\x00\r\n")
    assert not any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in document.original_name)
    assert RANDOM_STORAGE_NAME.fullmatch(document.storage_name)
    added = set(upload_page.state(draft)["disk"]) - set(before["disk"])
    assert added == {storage_root() / document.storage_name}


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["requirement", "evidence", "invoice"])
def test_more_files_in_one_post_than_django_allows_is_a_400_and_stores_nothing(view, upload_page, request):
    application = _application_for(view, request)
    before = upload_page.state(application)
    too_many = settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1
    assert too_many == 21
    response = upload_page.post(view, application, [(f"ktp-{i}.pdf", pdf_bytes(), PDF) for i in range(too_many)])
    assert response.status_code == 400
    assert upload_page.state(application) == before


@pytest.mark.django_db
def test_at_the_file_count_limit_the_post_is_parsed_and_the_form_keeps_one_file(upload_page, draft):
    before = upload_page.state(draft)
    files = [(f"ktp-{i}.pdf", pdf_bytes(), PDF) for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES)]
    response = upload_page.post("requirement", draft, files)
    assert response.status_code == 200
    assert len(upload_page.state(draft)["rows"]) == len(before["rows"]) + 1


# --- what is cleaned rather than refused (said honestly) -----------------------------------------


def test_a_php_short_tag_in_a_jpeg_comment_is_not_refused_but_does_not_survive_re_encoding():
    # "<?php" is refused as hidden code; the short echo tag "<?=" is not on that list, and need not be:
    # the image is rebuilt from its pixels, so no comment, EXIF or appended archive is stored.
    clean = inspect_upload(upload("foto.jpg", jpeg_with_comment(b"<?= `id` ?>") + b"PK\x03\x04" + b"\x00" * 30))
    assert clean.content_type == JPEG
    assert b"<?=" not in clean.content
    assert b"PK\x03\x04" not in clean.content
    assert clean.content.startswith(b"\xff\xd8\xff") and clean.content.endswith(b"\xff\xd9")


@pytest.mark.parametrize(
    "name, content",
    [
        # The automatic-action and attachment names refused above leave ordinary PDFs alone.
        ("ktp.pdf", pdf_bytes(catalog_extra=b"/OpenAction [3 0 R /Fit]")),
        (
            "cv.pdf",
            pdf_bytes(
                extra_objects=b"4 0 obj\n<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
                b"/A << /S /URI /URI (https://lsp.example.id/) >> >>\nendobj\n"
            ),
        ),
        # Dots inside a name are not double extensions unless a part is a dangerous one.
        ("Ijazah Ahmad.bin Abdullah.pdf", pdf_bytes()),
        ("scan 2024.01.15.pdf", pdf_bytes()),
        ("foto 3x4.JPG", jpeg_bytes()),
    ],
)
def test_ordinary_files_still_pass(name, content):
    assert inspect_upload(RawNamedFile(name, content)).content_type in (PDF, JPEG, PNG)
