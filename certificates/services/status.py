"""The certificate's status after issue and what follows from each change: the public verification page reads
the status on every request (so it shows at once), and the stored PDF is rebuilt with the new mark.

``certificate_expire`` is the daily job's step (run from ``certificates.reminders``); suspension,
reinstatement and revocation live in ``sanctions``; supersession in ``issuance`` (re-certification, 9.7).
"""

from django.db import transaction
from django.utils import timezone

from lsp.audit import audit_record

from ..models import Certificate

S = Certificate.Status


def set_certificate_status(certificate, to_status, *, actor, action, reason="", data=None):
    """Change a certificate locked by the caller; audited; the PDF is rebuilt with its mark after commit."""
    previous = certificate.status
    certificate.status, certificate.status_changed_at = to_status, timezone.now()
    certificate.save(update_fields=["status", "status_changed_at"])
    audit_record(
        actor=actor, action=action, obj=certificate, from_state=previous, to_state=to_status, reason=reason,
        data=data or {},
    )
    from ..tasks import build_certificate_pdf

    build_certificate_pdf.delay_on_commit(certificate.pk)
    return certificate


def certificate_expire(*, certificate_id, today=None):
    """Mark a certificate expired once its validity is over (the day after ``expiry_date``, which is the last
    valid day printed on it). Only a valid certificate expires; a suspended, revoked or superseded one keeps
    that status. Returns True when it changed; running it again changes nothing."""
    day = today or timezone.localdate()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate.status != S.ACTIVE or certificate.expiry_date >= day:
            return False
        set_certificate_status(
            certificate, S.EXPIRED, actor=None, action="certificate.expire",
            data={"expiry_date": certificate.expiry_date.isoformat()},
        )
    return True


def certificates_to_expire(today=None):
    day = today or timezone.localdate()
    return Certificate.objects.filter(status=S.ACTIVE, expiry_date__lt=day).order_by("expiry_date", "pk")
