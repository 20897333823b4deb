"""Helpers shared by the certificate services: actor checks, impartiality, numbers, links."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.selectors import assessor_users_of_application
from lsp.errors import NotAllowed
from lsp.models import Role
from lsp.numbering import counter_next

from ..models import ImpartialityDeclaration

STAFF_ROLES = (Role.STAFF, Role.ADMIN)

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Numbers of the Berita Acara and the SK; the serial restarts each year. Override in settings.
DEFAULT_MINUTES_NUMBER_FORMAT = "{serial:03d}/BA/TT/{month_roman}/{year}"
DEFAULT_LETTER_NUMBER_FORMAT = "{serial:03d}/SK/LSP/{month_roman}/{year}"
# The decision of an appeal team (9.9.7): numbered like the LSP's other decisions.
DEFAULT_APPEAL_DECISION_NUMBER_FORMAT = "{serial:03d}/KEP-BANDING/LSP/{month_roman}/{year}"


def is_staff(user):
    return bool(user is not None and user.is_authenticated and user.has_role(*STAFF_ROLES))


def require_staff(actor):
    if not is_staff(actor):
        raise NotAllowed(_("Only LSP staff may do this."))


def is_technical_team(user):
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_role(Role.TECHNICAL_TEAM))


def conflict_reason(user, application):
    """Why ``user`` may not decide on this candidate (impartiality, 9.4.2), or None.

    The candidate themself; anyone assigned to assess them, who recorded their test or
    declared about them as assessor; a member who declared a conflict (e.g. trained them).
    """
    if application.applicant_id == user.pk:
        return _("This is your own application.")
    if assessor_users_of_application(application).filter(pk=user.pk).exists():
        return _("You were this candidate's assessor.")
    declaration = ImpartialityDeclaration.objects.filter(application=application, member=user).first()
    if declaration is not None:
        return _("You declared a conflict of interest: %(kind)s.") % {"kind": declaration.get_kind_display()}
    return None


def next_document_number(kind, day=None):
    """The next Berita Acara ("minutes"), SK ("letter") or appeal decision ("appeal") number; call inside the
    issuing transaction."""
    day = day or timezone.localdate()
    fmt = {
        "minutes": getattr(settings, "CERTIFICATES_MINUTES_NUMBER_FORMAT", DEFAULT_MINUTES_NUMBER_FORMAT),
        "letter": getattr(settings, "CERTIFICATES_LETTER_NUMBER_FORMAT", DEFAULT_LETTER_NUMBER_FORMAT),
        "appeal": getattr(settings, "CERTIFICATES_APPEAL_DECISION_NUMBER_FORMAT", DEFAULT_APPEAL_DECISION_NUMBER_FORMAT),
    }[kind]
    serial = counter_next(f"{kind}:{day.year}")
    return fmt.format(serial=serial, year=day.year, month=day.month, month_roman=ROMAN_MONTHS[day.month - 1])


def site_url():
    """The public address of the portal, for the QR code and links in emails."""
    return (getattr(settings, "SITE_URL", "") or getattr(settings, "PORTAL_URL", "") or "http://127.0.0.1:8000").rstrip(
        "/"
    )


def portal_link(url_name, *args):
    return site_url() + reverse(url_name, args=args)


def verification_url(certificate):
    """What the QR code encodes: the public verification page of this certificate."""
    return site_url() + reverse("verify:code", args=[certificate.verification_code])


def clean_text(value):
    return (value or "").strip()


def is_appeal_team(user):
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_role(Role.APPEAL_TEAM))


def staff_users():
    """The LSP staff who receive the after-issue notices and reminders (deadlines they must act on)."""
    from lsp.models import User

    return User.objects.filter(roles__role=Role.STAFF, is_active=True).distinct().order_by("pk")


def lsp_date_text(value):
    """A date as the Indonesian documents write it, e.g. 05-01-2027 (used inside refusal messages)."""
    return value.strftime("%d-%m-%Y")
