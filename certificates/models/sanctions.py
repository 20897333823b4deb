"""Warnings, suspension, reinstatement and revocation of a certificate (9.5), and the holder's duty to stop
using and return a suspended or revoked certificate (9.8.4)."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SanctionPolicy(models.Model):
    """How a scheme lets the LSP sanction a holder (9.5.2), set by the admin per scheme.

    The seed documents differ: LSP TMI "melakukan pembekuan dan pencabutan sertifikat secara
    langsung atau melalui tahapan peringatan" (directly, or after warnings), LSP Renbang revokes
    "apabila pemegang sertifikat tidak mengindahkan peringatan" (only after an ignored warning).
    A scheme without a row of its own follows the defaults below, the stricter reading: suspend
    on a proven ground, revoke only after a warning.
    """

    scheme = models.OneToOneField(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="sanction_policy", verbose_name=_("scheme")
    )
    direct_suspension_allowed = models.BooleanField(
        _("suspension without a prior warning"), default=True,
        help_text=_("The scheme lets the LSP suspend a certificate without warning the holder first (9.5.2)."),
    )
    direct_revocation_allowed = models.BooleanField(
        _("revocation without a prior warning"), default=False,
        help_text=_("The scheme lets the LSP revoke a certificate directly (e.g. LSP TMI 9.5.2 \"secara langsung\")."),
    )
    warnings_before_revocation = models.PositiveSmallIntegerField(
        _("warnings before revocation"), default=1, validators=[MinValueValidator(1)],
        help_text=_("Where revocation needs ignored warnings first, how many warnings the case must hold (9.5.2)."),
    )
    clause = models.CharField(_("clause"), max_length=20, default="9.5.2")

    class Meta:
        verbose_name = _("sanction policy of a scheme")
        verbose_name_plural = _("sanction policies of schemes")
        constraints = [
            models.CheckConstraint(condition=Q(warnings_before_revocation__gte=1), name="sanction_policy_warnings_positive"),
        ]

    def __str__(self):
        return f"{self.scheme.name} · {self.clause}"


class SanctionCase(models.Model):
    """A case against a certificate holder on one of the scheme's grounds (9.5.1), e.g. LSP Renbang 9.5.1 a–d,
    or LSP TMI's single ground "melanggar kewajiban pemegang sertifikat" naming the duty breached (7.2).

    ``open`` while warnings may be given; ``suspended`` while the certificate is suspended;
    ``revoked`` and ``closed`` are final. At most one case per certificate is open or suspended.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Certificate suspended")
        REVOKED = "revoked", _("Certificate revoked")
        CLOSED = "closed", _("Closed")

    ACTIVE_STATUSES = (Status.OPEN, Status.SUSPENDED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("case number"), max_length=40, unique=True)
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="sanction_cases", verbose_name=_("certificate")
    )
    ground = models.ForeignKey(
        "schemes.SchemeClause", on_delete=models.PROTECT, related_name="+", verbose_name=_("ground (9.5.1)"),
        limit_choices_to={"kind": "suspension_ground"},
    )
    duty = models.ForeignKey(
        "schemes.SchemeClause", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("holder duty breached (7.2)"), limit_choices_to={"kind": "duty"},
    )
    # As read when the case was opened: a later edit of the scheme does not rewrite the case.
    ground_text = models.TextField(_("ground as written"))
    duty_text = models.TextField(_("duty as written"), blank=True)
    description = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sanction case")
        verbose_name_plural = _("sanction cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(status__in=["open", "suspended"]),
                name="one_active_sanction_case_per_certificate",
                violation_error_message=_("This certificate already has an open sanction case."),
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.certificate.number}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def warning_count(self):
        return self.steps.filter(kind=SanctionStep.Kind.WARNING).count()


class SanctionStep(models.Model):
    """One step of a case, in order: warning n, suspension, reinstatement, revocation, or closing without action.

    A reinstatement points at the suspension it lifts (``lifts``). A suspension or a revocation
    records the holder's duty to stop using the certificate and return it (9.8.4), and later the
    day the LSP got it back.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension (pembekuan)")
        REINSTATEMENT = "reinstatement", _("Reinstatement")
        REVOCATION = "revocation", _("Revocation (pencabutan)")
        CLOSURE = "closure", _("Closed without sanction")

    RETURN_KINDS = (Kind.SUSPENSION, Kind.REVOCATION)

    case = models.ForeignKey(SanctionCase, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    warning_number = models.PositiveSmallIntegerField(_("warning number"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"))
    decision_reference = models.CharField(
        _("decision reference"), max_length=100, blank=True,
        help_text=_("The number of the LSP's decision (SK) on the suspension, reinstatement or revocation."),
    )
    lifts = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="lifted_by",
        verbose_name=_("suspension lifted"),
    )
    # 9.8.4: the holder stops using the certificate and returns it.
    return_duty = models.TextField(_("holder's duty (9.8.4)"), blank=True)
    returned_on = models.DateField(_("certificate returned on"), null=True, blank=True)
    return_note = models.CharField(_("note on the return"), max_length=255, blank=True)
    return_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("sanction step")
        verbose_name_plural = _("sanction steps")
        ordering = ["case", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "warning_number"], condition=Q(kind="warning"), name="warnings_numbered_once_per_case"
            ),
            models.CheckConstraint(
                condition=~Q(kind="warning") | Q(warning_number__isnull=False), name="warning_has_number"
            ),
            models.CheckConstraint(
                condition=~Q(kind="reinstatement") | Q(lifts__isnull=False), name="reinstatement_lifts_a_suspension"
            ),
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.kind == self.Kind.WARNING:
            label = f"{label} {self.warning_number}"
        return f"{self.case.number} · {label} · {self.effective_date:%Y-%m-%d}"

    @property
    def awaits_return(self):
        return self.kind in self.RETURN_KINDS and self.returned_on is None
