"""Reporting to BNSP: per SK, the "blanko package" (participant list as XLSX, Berita Acara and SK PDFs, in one zip),
and reading back the registration and blanko numbers BNSP gives (XLSX import)."""

import io
import zipfile

from django.core.files.storage import default_storage
from django.utils import timezone

from assessments.models import Assignment

from .services.pdfs import letter_pdf_build, minutes_pdf_build

PARTICIPANT_COLUMNS = [
    "No",
    "Nama",
    "NIK",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Alamat",
    "Kota/Kabupaten",
    "Provinsi",
    "Telepon",
    "Email",
    "Pendidikan",
    "Pekerjaan",
    "Skema",
    "Rekomendasi",
    "Hasil (K/BK)",
    "Keputusan",
    "No. Sertifikat",
    "No. Reg. Asesor (MET)",
    "TUK",
    "Tanggal Uji",
    "Sumber Dana",
]
SEX = {"male": "L", "female": "P"}


def _funding(application):
    invoice = application.invoice_or_none
    label = application.get_funding_display()
    detail = application.funding_detail or (invoice.sponsor_name if invoice is not None else "")
    return f"{label} ({detail})" if detail else label


def participant_rows(letter):
    """One row per candidate decided in the SK's Berita Acara: K and BK alike (for an SK based on an appeal
    decision, the candidate whose decision the appeal changed)."""
    decisions = (letter.granted_decisions() if letter.appeal_id else letter.meeting.decisions).select_related(
        "application__scheme", "application__invoice", "record__assessor", "record__assignment__schedule__tuk",
    ).order_by("application__full_name", "id")
    rows = []
    for number, decision in enumerate(decisions, 1):
        application, record = decision.application, decision.record
        assignment = record.assignment
        plan = assignment.plan_or_none() if isinstance(assignment, Assignment) else None
        tuk = plan.tuk if plan is not None else assignment.schedule.tuk
        certificate = decision.certificate_or_none()
        rows.append(
            [
                number,
                application.full_name,
                application.nik,
                application.birth_place,
                application.birth_date,
                SEX.get(application.sex, application.sex),
                application.address,
                "",  # APL-01 has no city field yet
                "",  # nor a province field
                application.phone_mobile or application.phone_home or application.phone_office,
                application.email,
                application.get_education_display(),
                ", ".join(part for part in (application.work_position, application.work_institution) if part),
                application.scheme.name,
                decision.recommendation,
                "K" if decision.is_granted else "BK",
                decision.get_outcome_display(),
                certificate.number if certificate else "",
                record.assessor.met_number,
                tuk.name,
                assignment.test_date,
                _funding(application),
            ]
        )
    return rows


def participants_xlsx(letter):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append(PARTICIPANT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in participant_rows(letter):
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "DD-MM-YYYY"
    for row in sheet.iter_rows(min_row=2, min_col=21, max_col=21):
        for cell in row:
            cell.number_format = "DD-MM-YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _stored(name, build):
    """A stored PDF, built now if the background task has not made it yet."""
    if not name or not default_storage.exists(name):
        name = build()
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def safe_name(number):
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in number).strip("-")


def blanko_package(letter):
    """The zip for BNSP: participant list (XLSX), Berita Acara and SK PDFs. For an SK based on an appeal
    decision, the Berita Acara is the one of the meeting whose decision the appeal changed."""
    meeting = letter.meeting or letter.appeal.decision.meeting
    stem = safe_name(letter.number)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"peserta-{stem}.xlsx", participants_xlsx(letter))
        archive.writestr(
            f"berita-acara-{safe_name(meeting.minutes_number)}.pdf",
            _stored(meeting.minutes_pdf, lambda: minutes_pdf_build(meeting_id=meeting.pk)),
        )
        archive.writestr(f"sk-{stem}.pdf", _stored(letter.pdf, lambda: letter_pdf_build(letter_id=letter.pk)))
    return out.getvalue()


def read_bnsp_numbers(uploaded_file):
    """Rows (certificate number, registration number, blanko number) from an XLSX whose first row is a header."""
    from openpyxl import load_workbook

    workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    rows = []
    for index, row in enumerate(workbook.active.iter_rows(values_only=True)):
        if index == 0 or not row or not row[0]:
            continue
        values = [("" if value is None else str(value)).strip() for value in (list(row) + ["", ""])[:3]]
        rows.append(tuple(values))
    return rows


def package_filename(letter):
    return f"blanko-{safe_name(letter.number)}-{timezone.localdate():%Y%m%d}.zip"
