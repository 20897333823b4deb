"""The PDFs of this stage, through lsp.pdf (WeasyPrint, local files only): the certificate (A4 landscape,
Indonesian and English like a BNSP certificate, with QR code), the Berita Acara and the SK.

Each build renders, then replaces the stored file under a fixed name: running it again is harmless.
"""

import base64
import io
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from lsp.models import Organisation
from lsp.pdf import render_pdf, store_replacing

from ..models import Certificate, DecisionLetter, TechnicalMeeting
from ._common import verification_url

PDF_DIR = Path(__file__).resolve().parent.parent / "templates" / "certificates" / "pdf"
CERTIFICATE_UA = PDF_DIR / "certificate-ua.css"  # the user-agent rules of the certificate's few elements (lsp.pdf)
QR_SCALE = 1  # one pixel per module; the PDF shows the image unsmoothed (image-rendering: pixelated), so it stays sharp at any size


def data_uri(content, content_type):
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def qr_png(payload, *, scale=QR_SCALE):
    """The QR code of ``payload`` as PNG bytes (segno, no network); ``scale`` pixels per module."""
    import segno

    out = io.BytesIO()
    # Byte mode: a URL is bytes anyway, and segno skips searching for a cheaper mix of modes.
    segno.make(payload, error="m", mode="byte", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _stored_data_uri(name, content_type):
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            return data_uri(handle.read(), content_type)
    except (FileNotFoundError, OSError):
        return ""


def _signature_uri(signatory):
    image = signatory.signature_image
    if not image:
        return ""
    return _stored_data_uri(image.name, "image/png" if image.name.lower().endswith(".png") else "image/jpeg")


# The mark printed across every page of a certificate that is no longer valid (Indonesian, English).
MARKS = {
    Certificate.Status.SUSPENDED: ("DIBEKUKAN", "SUSPENDED"),
    Certificate.Status.REVOKED: ("DICABUT", "REVOKED"),
    Certificate.Status.EXPIRED: ("KEDALUWARSA", "EXPIRED"),
    Certificate.Status.SUPERSEDED: ("DIGANTI", "REPLACED"),
}


def pdf_mark_status(certificate):
    """The status a PDF of the certificate must be marked with today: empty while it is valid."""
    status = certificate.public_status()
    return "" if status == Certificate.Status.ACTIVE else status.value


def certificate_pdf_is_current(certificate):
    """The stored PDF carries today's mark (it was built after the last status change)."""
    return bool(certificate.pdf) and certificate.pdf_status == pdf_mark_status(certificate)


def certificate_pdf_context(certificate):
    url = verification_url(certificate)
    photo = certificate.photo
    mark_status = pdf_mark_status(certificate)
    return {
        "mark": MARKS.get(mark_status) if mark_status else None,
        "certificate": certificate,
        "organisation": Organisation.current(),
        "verification_url": url,
        "qr": data_uri(qr_png(url), "image/png"),
        "photo": _stored_data_uri(photo.storage_name, photo.content_type) if photo and photo.is_image else "",
        "signature": _signature_uri(certificate.signatory),
    }


def certificate_pdf_bytes(certificate):
    return render_pdf(
        "certificates/pdf/certificate.html", certificate_pdf_context(certificate), language="id", base_dir=PDF_DIR,
        stylesheets=[PDF_DIR / "certificate.css"], ua_stylesheet=CERTIFICATE_UA,
    )


def certificate_pdf_build(*, certificate_id):
    """Render the certificate and replace its stored PDF. Returns the storage name (None if not found)."""
    certificate = Certificate.objects.select_related("signatory", "photo", "scheme").filter(pk=certificate_id).first()
    if certificate is None:
        return None
    content = certificate_pdf_bytes(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        name = store_replacing(f"certificates/certificates/{locked.uuid}/sertifikat.pdf", content)
        locked.pdf, locked.pdf_built_at, locked.pdf_status = name, timezone.now(), pdf_mark_status(certificate)
        locked.save(update_fields=["pdf", "pdf_built_at", "pdf_status"])
    return name


def minutes_pdf_context(meeting):
    items = []
    for item in meeting.items.select_related("record__application", "record__assessor__user").order_by("position", "id"):
        decision = next((d for d in meeting.decisions.all() if d.record_id == item.record_id), None)
        items.append({"item": item, "record": item.record, "application": item.record.application, "decision": decision})
    return {
        "meeting": meeting,
        "members": list(meeting.members.order_by("full_name")),
        "rows": items,
        "declarations": list(meeting.declarations.select_related("member", "application")),
        "organisation": Organisation.current(),
        "generated_at": timezone.now(),
    }


def minutes_pdf_build(*, meeting_id):
    """Render the Berita Acara of a closed meeting and replace its stored PDF."""
    meeting = TechnicalMeeting.objects.select_related("chair").filter(pk=meeting_id).first()
    if meeting is None or meeting.is_open:
        return None
    content = render_pdf(
        "certificates/pdf/minutes.html", minutes_pdf_context(meeting), language="id", base_dir=PDF_DIR,
        stylesheets=[PDF_DIR / "documents.css"],
    )
    with transaction.atomic():
        locked = TechnicalMeeting.objects.select_for_update().get(pk=meeting.pk)
        name = store_replacing(f"certificates/meetings/{locked.uuid}/berita-acara.pdf", content)
        locked.minutes_pdf, locked.minutes_pdf_built_at = name, timezone.now()
        locked.save(update_fields=["minutes_pdf", "minutes_pdf_built_at"])
    return name


def letter_pdf_context(letter):
    return {
        "letter": letter,
        "meeting": letter.meeting,
        "appeal": letter.appeal,
        "decisions": list(letter.granted_decisions()),
        "signature": _signature_uri(letter.signatory),
        "organisation": Organisation.current(),
        "generated_at": timezone.now(),
    }


def letter_pdf_build(*, letter_id):
    """Render the Surat Keputusan and replace its stored PDF."""
    letter = DecisionLetter.objects.select_related("meeting", "appeal", "signatory").filter(pk=letter_id).first()
    if letter is None:
        return None
    content = render_pdf(
        "certificates/pdf/letter.html", letter_pdf_context(letter), language="id", base_dir=PDF_DIR,
        stylesheets=[PDF_DIR / "documents.css"],
    )
    with transaction.atomic():
        locked = DecisionLetter.objects.select_for_update().get(pk=letter.pk)
        name = store_replacing(f"certificates/letters/{locked.uuid}/surat-keputusan.pdf", content)
        locked.pdf, locked.pdf_built_at = name, timezone.now()
        locked.save(update_fields=["pdf", "pdf_built_at"])
    return name
