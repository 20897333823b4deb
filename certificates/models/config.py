"""What the admin sets for certificates: who signs, and how certificate numbers are shaped."""

import string

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The fields a number format may use; {serial} takes a format spec, e.g. {serial:05d}.
NUMBER_FIELDS = ("kbli", "kbji", "level", "serial", "year", "scheme_code")
DEFAULT_NUMBER_FORMAT = "{kbli} {kbji} {level} {serial:05d} {year}"


def validate_number_format(value):
    """A Python format string naming only NUMBER_FIELDS, with {serial} in it (the number must be unique)."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        raise ValidationError(_("The format is not valid: %(error)s"), params={"error": exc}) from exc
    unknown = sorted({name for name in names if name not in NUMBER_FIELDS})
    if unknown:
        raise ValidationError(
            _("Unknown fields in the format: %(fields)s. Use %(allowed)s."),
            params={"fields": ", ".join(unknown), "allowed": ", ".join(f"{{{f}}}" for f in NUMBER_FIELDS)},
        )
    if "serial" not in names:
        raise ValidationError(_("The format must contain {serial}, or numbers would repeat."))
    try:
        value.format(kbli="", kbji="", level="", serial=1, year=2000, scheme_code="")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationError(_("The format is not valid: %(error)s"), params={"error": exc}) from exc


class Signatory(models.Model):
    """A person the LSP appoints to sign certificates, Berita Acara and Surat Keputusan (9.4.6)."""

    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, help_text=_("e.g. Ketua LSP TMI"))
    position_en = models.CharField(_("position (English)"), max_length=200, blank=True)
    signature_image = models.ImageField(
        _("signature image"),
        upload_to="certificates/signatures/",
        blank=True,
        help_text=_("Optional: a scan of the signature (PNG with a transparent background), printed on the PDFs."),
    )
    signs_certificates = models.BooleanField(
        _("signs certificates"), default=False, help_text=_("Certificates are signed by the first active one of these.")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name}, {self.position}"


class CertificateSeries(models.Model):
    """How the certificate numbers of a scheme (or of every scheme, when ``scheme`` is empty) look.

    BNSP numbers read ``KBLI KBJI level serial year``; the admin sets the codes and the
    format, and the serial comes from a locked counter per series (and per year, if chosen).
    """

    scheme = models.OneToOneField(
        "schemes.Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate_series",
        verbose_name=_("scheme"),
        help_text=_("Empty: the default for every scheme without a series of its own."),
    )
    kbli = models.CharField(_("KBLI code"), max_length=20, blank=True)
    kbji = models.CharField(_("KBJI code"), max_length=20, blank=True)
    level = models.CharField(_("level (KKNI)"), max_length=10, blank=True)
    scheme_code = models.CharField(_("scheme code"), max_length=40, blank=True)
    number_format = models.CharField(
        _("number format"),
        max_length=200,
        default=DEFAULT_NUMBER_FORMAT,
        validators=[validate_number_format],
        help_text=_(
            "A Python format string using {kbli}, {kbji}, {level}, {scheme_code}, {serial} and {year}, "
            "e.g. {kbli} {kbji} {level} {serial:05d} {year}."
        ),
    )
    restart_each_year = models.BooleanField(
        _("serial restarts each year"), default=True, help_text=_("Only when the format contains {year}.")
    )

    class Meta:
        verbose_name = _("certificate number series")
        verbose_name_plural = _("certificate number series")
        constraints = [
            models.UniqueConstraint(fields=["scheme"], name="one_certificate_series_per_scheme"),
        ]

    def __str__(self):
        return f"{self.scheme.name if self.scheme_id else _('Default')}: {self.number_format}"

    def clean(self):
        super().clean()
        if self.restart_each_year and "{year" not in self.number_format:
            raise ValidationError(
                {"restart_each_year": _("A serial that restarts each year needs {year} in the format.")}
            )
        if self.scheme_id is None and CertificateSeries.objects.filter(scheme__isnull=True).exclude(pk=self.pk).exists():
            raise ValidationError({"scheme": _("There is already a default series.")})

    def counter_key(self, year):
        """The lsp.Counter series this certificate's serial is drawn from."""
        key = f"certificate:{self.pk}"
        return f"{key}:{year}" if self.restart_each_year else key

    def format_number(self, *, serial, year):
        return self.number_format.format(
            kbli=self.kbli, kbji=self.kbji, level=self.level, scheme_code=self.scheme_code, serial=serial, year=year
        ).strip()

    def preview(self):
        return self.format_number(serial=1, year=timezone.localdate().year)
