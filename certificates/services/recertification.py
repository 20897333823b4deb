"""Re-certification (9.7): the holder applies from an active certificate with APL-01 pre-filled (purpose
"Sertifikasi Ulang") up to the deadline = expiry − the scheme's lead time (9.7.1); after it, staff may let
them in with a reason (audited). The application then runs registration, assessment and decision again
(9.7.2–9.7.4); the new certificate replaces the old one, which becomes superseded (``issuance``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants import services as applicant_services
from applicants.models import Application
from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.notifications import notify

from ..dates import add_months
from ..models import Certificate, RecertificationOverride
from ._common import clean_text, lsp_date_text, portal_link, require_staff

CS = Certificate.Status
# An application in these statuses already renews the certificate (a rejected or withdrawn one does not).
RENEWING_STATUSES = (*Application.OPEN_STATUSES, Application.Status.COMPLETED)


def recertification_deadline(certificate):
    """The last day to apply: expiry − the scheme's re-certification lead time in months (9.7.1)."""
    return add_months(certificate.expiry_date, -certificate.scheme.recertification_lead_months)


def recertification_application(certificate):
    """The application that renews this certificate (open or completed), or None."""
    return (
        Application.objects.filter(recertifies=certificate, status__in=RENEWING_STATUSES)
        .order_by("-created_at", "-id")
        .first()
    )


def recertification_refusal(certificate, *, today=None):
    """Why the holder may not start re-certification from this certificate now, or None."""
    day = today or timezone.localdate()
    override = certificate.recertification_override_or_none()
    status = certificate.public_status(day)
    if status == CS.EXPIRED and override is not None and certificate.status in (CS.ACTIVE, CS.EXPIRED):
        return None
    if status != CS.ACTIVE:
        return _("Only a valid certificate can be renewed; this one is %(status)s.") % {"status": status.label}
    deadline = recertification_deadline(certificate)
    if day > deadline and override is None:
        return _(
            "The deadline to apply for re-certification was %(deadline)s: %(months)s month(s) before the certificate "
            "expires on %(expiry)s (9.7.1). Ask the LSP if you can still apply."
        ) % {
            "deadline": lsp_date_text(deadline),
            "months": certificate.scheme.recertification_lead_months,
            "expiry": lsp_date_text(certificate.expiry_date),
        }
    return None


def recertification_start(*, actor, certificate):
    """The holder starts re-certification: a draft APL-01 for the certificate's scheme, filled in from their
    profile, purpose "Sertifikasi Ulang", linked to the certificate. Refused after the deadline (with it) unless
    staff allowed it. Asking again returns the same application."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().select_related("scheme").get(pk=certificate.pk)
        if actor is None or not actor.is_authenticated or certificate.holder_id != actor.pk:
            raise NotAllowed(_("Only the holder of the certificate may apply for its re-certification."))
        existing = recertification_application(certificate)
        if existing is not None:
            return existing
        refusal = recertification_refusal(certificate)
        if refusal:
            raise InvalidState(refusal)
        other = Application.objects.filter(
            applicant=actor, scheme_id=certificate.scheme_id, status__in=Application.OPEN_STATUSES
        ).first()
        if other is not None:
            raise InvalidState(
                _("You already have an open application for this scheme (%(reference)s).")
                % {"reference": other.reference or _("draft")}
            )
        application = applicant_services.application_start_recertification(
            actor=actor, scheme=certificate.scheme, certificate=certificate
        )
        audit_record(
            actor=actor, action="certificate.recertification_start", obj=certificate, to_state=application.status,
            data={
                "application": application.pk, "deadline": recertification_deadline(certificate).isoformat(),
                "override": certificate.recertification_override_or_none() is not None,
            },
        )
    return application


def recertification_override_grant(*, actor, certificate, reason):
    """Staff let the holder apply after the deadline (9.7.1), with the reason; audited; the holder is told. Once."""
    reason = clean_text(reason)
    with transaction.atomic():
        require_staff(actor)
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        existing = certificate.recertification_override_or_none()
        if existing is not None:
            return existing
        if certificate.holder_id == actor.pk:
            raise NotAllowed(_("You cannot decide on your own certificate."))
        if certificate.status not in (CS.ACTIVE, CS.EXPIRED):
            raise InvalidState(_("Only a valid or expired certificate can be renewed."))
        if not reason:
            raise InvalidState(_("Give the reason for letting the holder apply after the deadline."))
        override = RecertificationOverride.objects.create(certificate=certificate, reason=reason, granted_by=actor)
        audit_record(
            actor=actor, action="certificate.recertification_override", obj=certificate, to_state="late_allowed",
            reason=reason, data={"deadline": recertification_deadline(certificate).isoformat()},
        )
        notify(
            user=certificate.holder, template="emails/certificates_recertification_override.txt",
            context={"certificate": certificate, "reason": reason,
                     "link": portal_link("certificates:my-certificate", certificate.pk)},
            key=f"recertification-override:{certificate.pk}",
        )
    return override
