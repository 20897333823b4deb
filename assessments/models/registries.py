"""The assessor and TUK registries (9.2.2, 9.3.2)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assessor(models.Model):
    """A registered competency assessor (asesor kompetensi, No. Reg. MET…)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessor_profile", verbose_name=_("user")
    )
    met_number = models.CharField(
        _("registration number (MET)"), max_length=64, unique=True, help_text=_("e.g. MET.000.001234 2020")
    )
    registration_valid_until = models.DateField(_("registration valid until"))
    schemes = models.ManyToManyField(
        "schemes.Scheme",
        related_name="assessors",
        blank=True,
        verbose_name=_("competent for schemes"),
        help_text=_("The schemes this assessor may assess (9.2.2)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        ordering = ["user__full_name"]

    def __str__(self):
        return f"{self.user} ({self.met_number})"

    def registration_valid_on(self, day):
        return self.registration_valid_until >= day

    def can_assess(self, scheme, *, on=None):
        """Active, registered on that day, and competent for the scheme."""
        day = on or timezone.localdate()
        return self.is_active and self.registration_valid_on(day) and self.schemes.filter(pk=scheme.pk).exists()


class Tuk(models.Model):
    """A competency test site (Tempat Uji Kompetensi)."""

    class Type(models.TextChoices):
        SEWAKTU = "sewaktu", _("Temporary (Sewaktu)")
        WORKPLACE = "tempat_kerja", _("Workplace (Tempat Kerja)")
        INDEPENDENT = "mandiri", _("Independent (Mandiri)")

    name = models.CharField(_("name"), max_length=255)
    tuk_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    address = models.TextField(_("address"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("test site (TUK)")
        verbose_name_plural = _("test sites (TUK)")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.get_tuk_type_display()})"

    def verification_on(self, day):
        """The verification that covers ``day``, or None: only then may the TUK host a test (9.3.2)."""
        return self.verifications.filter(verified_on__lte=day, valid_until__gte=day).order_by("-valid_until").first()

    def is_verified_on(self, day):
        return self.is_active and self.verification_on(day) is not None


class TukVerification(models.Model):
    """The LSP's verification of a TUK (9.3.2): when, by whom, what was checked, until when."""

    tuk = models.ForeignKey(Tuk, on_delete=models.PROTECT, related_name="verifications", verbose_name=_("TUK"))
    verified_on = models.DateField(_("verified on"))
    valid_until = models.DateField(_("valid until"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("verified by")
    )
    checklist_notes = models.TextField(_("checklist notes"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("TUK verification")
        verbose_name_plural = _("TUK verifications")
        ordering = ["-verified_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("verified_on")), name="tuk_verification_valid_after_verified"
            ),
        ]

    def __str__(self):
        return f"{self.tuk.name}: {self.verified_on:%Y-%m-%d} – {self.valid_until:%Y-%m-%d}"
