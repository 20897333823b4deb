"""Certificates (9.4.6): only on a "diberikan" decision in an SK, numbers, dates, the PDF with its QR code,
the idempotent task, bulk issuance, and the live status."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from certificates import services
from certificates.models import (
    Certificate,
    CertificateSeries,
    Decision,
    IssuanceRun,
    Signatory,
    add_years,
    validate_number_format,
)
from certificates.services._common import verification_url
from certificates.services.pdfs import QR_SCALE, certificate_pdf_context
from certificates.tasks import build_certificate_pdf
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Counter

from .helpers import close_and_letter, convene, decide

pytestmark = pytest.mark.django_db
NOT_GRANTED = Decision.Outcome.NOT_GRANTED


def test_certificate_is_numbered_dated_and_copied_from_the_application_9_4_6(certificate, letter, tmi, candidate):
    assert certificate.number == f"70209 2141 6 00001 {letter.date.year}"
    assert certificate.issue_date == letter.date
    assert certificate.expiry_date == add_years(letter.date, tmi.certificate_validity_years)
    assert certificate.holder == candidate and certificate.holder_name == "Ani Wijaya"
    assert certificate.scheme_name == "Pengelolaan Produksi"
    assert [unit["code"] for unit in certificate.units][:2] == ["C.281930.002.01", "M.702092.009.01"]
    assert len(certificate.units) == 10
    assert certificate.photo is not None and certificate.photo.is_image
    assert certificate.signatory_name == "Ir. Catur Hernanto, MM"
    assert certificate.status == Certificate.Status.ACTIVE
    assert AuditEvent.objects.filter(action="certificate.issue", object_id=str(certificate.pk)).exists()


def test_verification_code_is_random_and_long(certificate):
    # token_urlsafe(24): 24 random bytes = 192 bits, in 32 characters; nothing of the number in it.
    assert len(certificate.verification_code) >= 32
    assert certificate.number.replace(" ", "") not in certificate.verification_code
    assert Certificate._meta.get_field("verification_code").default() != certificate.verification_code


def test_no_certificate_without_a_granted_decision_9_4_6(staff, chair, member, record, bk_record, series):
    meeting = convene(staff, chair, [record, bk_record], members=[member])
    decide(member, meeting, record)
    refused = decide(member, meeting, bk_record, NOT_GRANTED)
    close_and_letter(staff, meeting)
    with pytest.raises(InvalidState, match="sertifikat diberikan"):
        services.certificate_issue(actor=staff, decision=refused)
    assert not Certificate.objects.filter(decision=refused).exists()


def test_no_certificate_before_the_sk_9_4_5(staff, decision, series):
    with pytest.raises(InvalidState, match="Surat Keputusan first"):
        services.certificate_issue(actor=staff, decision=decision)


def test_only_staff_issue(member, decision, letter):
    with pytest.raises(NotAllowed):
        services.certificate_issue(actor=member, decision=decision)


def test_issuing_twice_returns_the_same_certificate(staff, certificate):
    assert services.certificate_issue(actor=staff, decision=certificate.decision) == certificate
    assert Certificate.objects.count() == 1
    assert Counter.objects.get(series=certificate.series.counter_key(certificate.issue_date.year)).value == 1


def test_issuing_needs_the_number_format_and_signatory_from_the_admin(staff, decision, letter):
    CertificateSeries.objects.all().delete()
    with pytest.raises(InvalidState, match="number format"):
        services.certificate_issue(actor=staff, decision=decision)
    CertificateSeries.objects.create(kbli="70209", kbji="2141", level="6")
    Signatory.objects.update(signs_certificates=False)
    with pytest.raises(InvalidState, match="signs certificates"):
        services.certificate_issue(actor=staff, decision=decision)


def test_a_scheme_series_overrides_the_default(staff, decision, letter, tmi):
    CertificateSeries.objects.create(
        scheme=tmi, kbli="28193", kbji="3122", level="5", number_format="TMI/{serial:04d}/{year}"
    )
    certificate = services.certificate_issue(actor=staff, decision=decision)
    assert certificate.number == f"TMI/0001/{letter.date.year}"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("{kbli} {kbji} {level} {serial:05d} {year}", True),
        ("LSP-{serial}", True),
        ("{kbli} {year}", False),  # no serial: numbers would repeat
        ("{nik} {serial}", False),  # unknown field
        ("{serial:05d", False),  # broken
    ],
)
def test_number_format_is_checked(value, ok):
    if ok:
        validate_number_format(value)
    else:
        with pytest.raises(ValidationError):
            validate_number_format(value)


def test_public_status_is_expired_past_expiry_even_before_the_nightly_job(certificate):
    assert certificate.status == Certificate.Status.ACTIVE
    assert certificate.public_status(on=certificate.expiry_date) == Certificate.Status.ACTIVE
    after = certificate.expiry_date + datetime.timedelta(days=1)
    assert certificate.public_status(on=after) == Certificate.Status.EXPIRED
    certificate.status = Certificate.Status.SUSPENDED
    assert certificate.public_status(on=certificate.issue_date) == Certificate.Status.SUSPENDED


def test_add_years_handles_29_february():
    assert add_years(datetime.date(2028, 2, 29), 3) == datetime.date(2031, 2, 28)


def _pdf_text(content, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_shows_holder_number_scheme_dates_and_units(certificate, tmp_path):
    content = default_storage.open(certificate.pdf).read()
    assert content.startswith(b"%PDF")
    text = _pdf_text(content, tmp_path)
    for expected in [
        "ANI WIJAYA",
        certificate.number,
        "Pengelolaan Produksi",
        "SERTIFIKAT KOMPETENSI",
        "Certificate of Competence",
        certificate.expiry_date.strftime("%Y-%m-%d"),
        certificate.issue_date.strftime("%Y-%m-%d"),
        "C.281930.002.01",
        "Ir. Catur Hernanto, MM",
    ]:
        assert expected in text, expected
    assert "3273015508020001" not in text  # the NIK is not printed
    assert "{" not in text and "}" not in text  # no template syntax or comment leaked into the page


def test_pdf_is_a4_landscape_with_front_and_back(certificate, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(default_storage.open(certificate.pdf).read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info
    assert re.search(r"Page size:\s+841\.89 x 595\.2\d* pts \(A4\)", info)  # landscape: wider than tall


def _page_images(content, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / name)], check=True)
    return [image.read_bytes() for image in sorted(tmp_path.glob(f"{name}-*.png"))]


@pytest.mark.parametrize("status", [Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED])
def test_certificate_own_user_agent_stylesheet_draws_the_same_pages(certificate, tmp_path, status):
    """certificate-ua.css holds WeasyPrint's rules for the template's elements: the pages come out pixel for pixel
    the same as with WeasyPrint's whole stylesheet (with and without the mark of a suspended certificate)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from certificates.services.pdfs import CERTIFICATE_UA, PDF_DIR
    from lsp.pdf import render_pdf

    certificate.status = status
    context = certificate_pdf_context(certificate)
    assert bool(context["mark"]) == (status == Certificate.Status.SUSPENDED)

    def pages(name, ua_stylesheet):
        content = render_pdf(
            "certificates/pdf/certificate.html", context, base_dir=PDF_DIR,
            stylesheets=[PDF_DIR / "certificate.css"], ua_stylesheet=ua_stylesheet,
        )
        return _page_images(content, tmp_path, name)

    stock = pages("stock", None)
    assert len(stock) == 2
    assert pages("own", CERTIFICATE_UA) == stock
    # The comparison sees a missing rule: with no user-agent rules at all the pages differ.
    empty = tmp_path / "empty.css"
    empty.write_text("")
    assert pages("empty", empty) != stock


def test_qr_payload_is_the_certificates_verification_url(certificate, tmp_path):
    """The QR image inside the PDF, read back module by module, is the code of the verification URL."""
    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages (poppler-utils) is not installed")
    url = verification_url(certificate)
    assert url.endswith(reverse("verify:code", args=[certificate.verification_code]))
    assert certificate_pdf_context(certificate)["verification_url"] == url
    path = tmp_path / "c.pdf"
    path.write_bytes(default_storage.open(certificate.pdf).read())
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    expected = [list(row) for row in segno.make(url, error="m", micro=False).matrix]
    size = len(expected)
    found = False
    for image_path in sorted(Path(tmp_path).glob("img-*.png")):
        image = Image.open(image_path).convert("L")
        if image.width != (size + 8) * QR_SCALE:
            continue
        modules = [
            [int(image.getpixel(((x + 4) * QR_SCALE + QR_SCALE // 2, (y + 4) * QR_SCALE + QR_SCALE // 2)) < 128)
             for x in range(size)]
            for y in range(size)
        ]
        found = found or modules == expected
    assert found, "no image in the PDF is the QR code of the verification URL"


def test_pdf_task_run_three_times_leaves_one_file(certificate):
    for _ in range(3):
        name = build_certificate_pdf.delay(certificate.pk).get()
    assert name == certificate.pdf
    folder = name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == ["sertifikat.pdf"]


@pytest.fixture
def letter_of_two(staff, chair, member, make_user, tmi, assessor, schedule, tuk, record, series):
    """An SK granting two candidates: ``record``'s and a second one's."""
    from lsp.models import Role

    from .helpers import submitted_record

    second = submitted_record(
        candidate=make_user(Role.APPLICANT, full_name="Citra Dewi", email="citra@example.test"), staff=staff,
        scheme=tmi, assessor=assessor, schedule=schedule, tuk=tuk,
    )
    meeting = convene(staff, chair, [record, second], members=[member])
    decide(member, meeting, record)
    decide(member, meeting, second)
    return close_and_letter(staff, meeting)


def test_bulk_issuance_issues_every_granted_decision_of_the_sk(
    staff, record, letter_of_two, django_capture_on_commit_callbacks
):
    services.certificate_issue(actor=staff, decision=Decision.objects.get(record=record))  # one already issued
    with django_capture_on_commit_callbacks(execute=True):
        run = services.issuance_run_start(actor=staff, letter=letter_of_two)
    run.refresh_from_db()
    assert (run.status, run.total, run.done, run.failed) == (IssuanceRun.Status.FINISHED, 2, 2, 0)
    numbers = sorted(Certificate.objects.values_list("serial", flat=True))
    assert numbers == [1, 2]
    # Running the finished run again does nothing.
    assert services.issuance_run_execute(run_id=run.pk).done == 2
    assert Certificate.objects.count() == 2


def test_bulk_issuance_is_split_into_chunks_and_the_last_one_closes_the_run(staff, letter_of_two, monkeypatch):
    from certificates.services import issuance

    monkeypatch.setattr(issuance, "ISSUANCE_CHUNK", 1)
    run = IssuanceRun.objects.create(letter=letter_of_two, total=2, started_by=staff)
    run, chunks = issuance.issuance_run_begin(run_id=run.pk)
    assert len(chunks) == 2 and (run.status, run.chunks_total) == (IssuanceRun.Status.RUNNING, 2)
    run = issuance.issuance_run_chunk(run_id=run.pk, decision_ids=chunks[1])
    assert (run.status, run.done, run.chunks_done) == (IssuanceRun.Status.RUNNING, 1, 1)  # one part still to go
    run = issuance.issuance_run_chunk(run_id=run.pk, decision_ids=chunks[0])
    assert (run.status, run.done, run.chunks_done) == (IssuanceRun.Status.FINISHED, 2, 2)
    assert run.finished_at is not None
    # A part delivered again after the run closed changes nothing.
    again = issuance.issuance_run_chunk(run_id=run.pk, decision_ids=chunks[0])
    assert (again.done, again.chunks_done, Certificate.objects.count()) == (2, 2, 2)


def test_bulk_issuance_goes_on_past_a_refused_candidate_and_names_them(staff, letter_of_two, monkeypatch):
    from certificates.services import issuance

    first, second = letter_of_two.granted_decisions().order_by("pk")
    real_issue = issuance.certificate_issue

    def refuse_the_first(*, actor, decision):
        if decision.pk == first.pk:
            raise InvalidState("sertifikat ditahan")
        return real_issue(actor=actor, decision=decision)

    monkeypatch.setattr(issuance, "certificate_issue", refuse_the_first)
    run = IssuanceRun.objects.create(letter=letter_of_two, total=2, started_by=staff)
    run = issuance.issuance_run_execute(run_id=run.pk)
    assert (run.status, run.done, run.failed) == (IssuanceRun.Status.FINISHED, 1, 1)
    assert run.errors == [f"{first.application.full_name}: sertifikat ditahan"]
    assert list(Certificate.objects.values_list("application", flat=True)) == [second.application_id]


def test_bulk_issuance_counts_a_part_delivered_twice_once(staff, letter_of_two, monkeypatch):
    """A worker that dies mid-run has its tasks delivered again: the counts and the close stay exact."""
    from certificates.services import issuance

    monkeypatch.setattr(issuance, "ISSUANCE_CHUNK", 1)
    run = IssuanceRun.objects.create(letter=letter_of_two, total=2, started_by=staff)
    run, chunks = issuance.issuance_run_begin(run_id=run.pk)
    issuance.issuance_run_chunk(run_id=run.pk, decision_ids=chunks[0])
    run = issuance.issuance_run_chunk(run_id=run.pk, decision_ids=chunks[0])  # the same part again
    assert (run.status, run.done, run.failed, run.chunks_done) == (IssuanceRun.Status.RUNNING, 1, 0, 1)
    # The starting task delivered again keeps the counts and hands out only the part not yet counted.
    run, remaining = issuance.issuance_run_begin(run_id=run.pk)
    assert remaining == [chunks[1]]
    assert (run.status, run.done, run.chunks_done) == (IssuanceRun.Status.RUNNING, 1, 1)
    run = issuance.issuance_run_chunk(run_id=run.pk, decision_ids=remaining[0])
    assert (run.status, run.done, run.chunks_done, run.chunks_total) == (IssuanceRun.Status.FINISHED, 2, 2, 2)
    assert Certificate.objects.count() == 2

