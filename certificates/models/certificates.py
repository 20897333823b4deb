"""Certificates (9.4.6, 9.4.7), the holder's use agreement (9.8, 7.2.4), hand-over, and bulk issuance."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_verification_code():
    """192 random bits, URL-safe: the QR target; unrelated to the number, so not guessable from it."""
    return secrets.token_urlsafe(24)


def add_years(day, years):
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Certificate(models.Model):
    """A certificate of competency (sertifikat kompetensi) issued on a "sertifikat diberikan" decision.

    What is printed is copied here at issue (holder's name, scheme name, units, signatory),
    so later edits of the scheme or the signatory never change an issued certificate.
    ``status`` is set by the after-issue services (suspension, revocation, expiry job,
    re-certification); ``public_status`` is what the verification page shows.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Valid")
        SUSPENDED = "suspended", _("Suspended (dibekukan)")
        REVOKED = "revoked", _("Revoked (dicabut)")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Replaced by a newer certificate")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("certificate number"), max_length=100, unique=True)
    series = models.ForeignKey(
        "certificates.CertificateSeries", on_delete=models.PROTECT, related_name="certificates"
    )
    serial = models.PositiveIntegerField(_("serial"))
    verification_code = models.CharField(
        _("verification code"), max_length=64, unique=True, default=new_verification_code, editable=False
    )
    decision = models.OneToOneField(
        "certificates.Decision", on_delete=models.PROTECT, related_name="certificate", verbose_name=_("decision")
    )
    letter = models.ForeignKey(
        "certificates.DecisionLetter", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("SK")
    )
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.PROTECT, related_name="certificates"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("scheme")
    )
    holder_name = models.CharField(_("holder name"), max_length=150)
    scheme_name = models.CharField(_("scheme name"), max_length=255)
    scheme_name_en = models.CharField(_("scheme name (English)"), max_length=255, blank=True)
    scheme_document_number = models.CharField(_("scheme document number"), max_length=100)
    units = models.JSONField(_("units of competency"), default=list)
    photo = models.ForeignKey(
        "applicants.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("photo"),
    )
    signatory = models.ForeignKey(
        "certificates.Signatory", on_delete=models.PROTECT, related_name="+", verbose_name=_("signatory")
    )
    signatory_name = models.CharField(_("signatory name"), max_length=200)
    signatory_position = models.CharField(_("signatory position"), max_length=200)
    signatory_position_en = models.CharField(_("signatory position (English)"), max_length=200, blank=True)
    issue_date = models.DateField(_("issue date"))
    expiry_date = models.DateField(_("valid until"))
    # Entered or imported by staff once BNSP has registered the certificate and the blanko is printed.
    bnsp_registration_number = models.CharField(_("BNSP registration number"), max_length=100, blank=True)
    blanko_number = models.CharField(_("blanko number"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # Re-certification (9.7): the certificate this one replaces.
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf = models.CharField(max_length=255, blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)
    # The status the stored PDF is marked with (empty: valid, no mark); a download of a certificate whose
    # status has moved on since is rendered afresh, so it always carries the current mark.
    pdf_status = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expiry_date__gt=models.F("issue_date")), name="certificate_expires_after_issue"),
            models.UniqueConstraint(
                fields=["bnsp_registration_number"], condition=~Q(bnsp_registration_number=""),
                name="unique_bnsp_registration_number",
            ),
            models.UniqueConstraint(
                fields=["blanko_number"], condition=~Q(blanko_number=""), name="unique_blanko_number"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expiry_date"]),
            # Public verification by number, case-insensitive (selectors.certificate_public_by_number).
            models.Index(Upper("number"), name="certificate_number_upper_idx"),
            # The staff list's order.
            models.Index(fields=["-issued_at", "-id"], name="certificate_issued_idx"),
        ]

    def __str__(self):
        return f"{self.number} · {self.holder_name}"

    def public_status(self, on=None):
        """The status a verifier sees on ``on`` (default today, Jakarta): expired once past the expiry
        date even before the nightly job has marked it; suspension and revocation always show."""
        return self.status_on(self.status, self.expiry_date, on or timezone.localdate())

    @classmethod
    def status_on(cls, status, expiry_date, day):
        """``public_status`` from the two columns it reads (the verification page reads no model)."""
        if status in (cls.Status.REVOKED, cls.Status.SUSPENDED, cls.Status.SUPERSEDED):
            return cls.Status(status)
        if status == cls.Status.EXPIRED or day > expiry_date:
            return cls.Status.EXPIRED
        return cls.Status.ACTIVE

    @property
    def is_valid_today(self):
        return self.public_status() == self.Status.ACTIVE

    def agreement_or_none(self):
        try:
            return self.use_agreement
        except models.ObjectDoesNotExist:
            return None

    def recertification_override_or_none(self):
        try:
            return self.recertification_override
        except models.ObjectDoesNotExist:
            return None


def expiry_for(issue_date, validity_years):
    return add_years(issue_date, validity_years)


class UseAgreement(models.Model):
    """The holder's on-line agreement to the rules of certificate use (9.8.1–9.8.4) and the scheme's
    code of ethics (7.2.4, 9.10), with the texts as they read them, the time and the IP address."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="use_agreement")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    use_rules = models.JSONField(_("rules of certificate use agreed"), default=list)
    ethics = models.JSONField(_("code of ethics agreed"), default=list)
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("certificate use agreement")
        verbose_name_plural = _("certificate use agreements")

    def __str__(self):
        return f"{self.certificate.number} · {self.agreed_at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    """The certificate handed to the holder (9.4.7): collected, posted or digital; once per way."""

    class Method(models.TextChoices):
        COLLECTED = "collected", _("Collected at the LSP")
        POSTED = "posted", _("Sent by post or courier")
        DIGITAL = "digital", _("Digital (PDF downloaded by the holder)")

    PHYSICAL = (Method.COLLECTED, Method.POSTED)

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="handovers")
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    handed_over_on = models.DateField(_("date"))
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("e.g. the courier's tracking number, or who collected it.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["certificate", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "method"], name="one_handover_per_method"),
        ]

    def __str__(self):
        return f"{self.certificate.number} · {self.get_method_display()} · {self.handed_over_on:%Y-%m-%d}"


class IssuanceRun(models.Model):
    """Bulk issuance of the certificates of one SK by a background task, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    letter = models.ForeignKey(
        "certificates.DecisionLetter", on_delete=models.PROTECT, related_name="issuance_runs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("certificates to issue"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    # The SK's decisions are issued in chunks, one task each, so that every worker process takes a share.
    chunks_total = models.PositiveIntegerField(_("parts"), default=0)
    chunks_done = models.PositiveIntegerField(_("parts done"), default=0)
    # The first decision id of every part counted so far: a part delivered twice is counted once.
    chunks_recorded = models.JSONField(_("parts counted"), default=list, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate issuance run")
        verbose_name_plural = _("certificate issuance runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"], condition=Q(status__in=["queued", "running"]), name="one_running_issuance_per_letter"
            ),
        ]

    def __str__(self):
        return f"{self.letter} · {self.done}/{self.total}"

    @property
    def is_running(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RecertificationOverride(models.Model):
    """Staff let a holder apply for re-certification after the deadline (expiry − the scheme's lead time, 9.7.1),
    with the reason; audited. Once per certificate."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="recertification_override")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("late re-certification allowed")
        verbose_name_plural = _("late re-certifications allowed")

    def __str__(self):
        return f"{self.certificate.number} · {self.granted_at:%Y-%m-%d}"
