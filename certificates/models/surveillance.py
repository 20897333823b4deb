"""Surveillance of certificate holders (9.6): planned at issue, one per surveillance interval, with the
holder's evidence of continued practice and the LSP's record of method and outcome (9.6.3, 9.6.4)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import PrivateFile


class Surveillance(models.Model):
    """One surveillance of one certificate (9.6.2: at least once per the scheme's interval after issue).

    The regular ones are planned when the certificate is issued, at issue date + n × the scheme's
    surveillance interval (months) for every n whose date falls before expiry, so a later change of
    the interval does not move them. A "follow-up" outcome plans an extra one (``follow_up_of``).
    The record stays in the holder's file (9.6.4); nothing is deleted.
    """

    class Status(models.TextChoices):
        DUE = "due", _("Due: waiting for the holder's evidence")
        EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted: waiting for the LSP")
        COMPLETED = "completed", _("Completed")

    OPEN_STATUSES = (Status.DUE, Status.EVIDENCE_SUBMITTED)

    class Method(models.TextChoices):
        # The methods of 9.6.3, in the document's order.
        LOGBOOK = "logbook", _("Logbook analysis (analisis logbook)")
        SUPERVISOR = "supervisor", _("Confirmation by the direct supervisor (konfirmasi atasan langsung)")
        THIRD_PARTY = "third_party", _("Confirmation by a third party (konfirmasi pihak ketiga)")
        WORKPLACE_VISIT = "workplace_visit", _("Workplace visit (kunjungan ke tempat kerja)")
        OTHER = "other", _("Another method (lainnya)")

    class Outcome(models.TextChoices):
        MAINTAINED = "maintained", _("Competence maintained")
        NOT_MAINTAINED = "not_maintained", _("Competence not maintained")
        FOLLOW_UP = "follow_up", _("Follow-up needed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, related_name="surveillances", verbose_name=_("certificate")
    )
    period = models.PositiveSmallIntegerField(_("period"), help_text=_("1 for the first interval after issue, 2 …"))
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups", verbose_name=_("follow-up of")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DUE)
    # The holder's side: evidence of continued practice (logbook, letters…).
    holder_statement = models.TextField(_("holder's statement of continued practice"), blank=True)
    evidence_submitted_at = models.DateTimeField(_("evidence submitted at"), null=True, blank=True)
    # The LSP's record (9.6.3, 9.6.4).
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    method_other = models.CharField(_("other method"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    sanction_case = models.ForeignKey(
        "certificates.SanctionCase", on_delete=models.PROTECT, null=True, blank=True, related_name="surveillances",
        verbose_name=_("sanction case opened"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("surveillance")
        verbose_name_plural = _("surveillances")
        ordering = ["certificate", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "period"], condition=Q(follow_up_of__isnull=True),
                name="one_regular_surveillance_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | (~Q(method="") & ~Q(outcome="") & Q(recorded_at__isnull=False)),
                name="completed_surveillance_has_method_and_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.certificate.number} · {_('surveillance')} {self.period} · {self.due_date:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def method_label(self):
        if self.method == self.Method.OTHER and self.method_other:
            return f"{self.get_method_display()}: {self.method_other}"
        return self.get_method_display()


class SurveillanceFile(PrivateFile):
    """A logbook or other evidence the holder uploads for a surveillance (9.6.3)."""

    surveillance = models.ForeignKey(Surveillance, on_delete=models.PROTECT, related_name="files")

    class Meta(PrivateFile.Meta):
        verbose_name = _("surveillance evidence file")
        verbose_name_plural = _("surveillance evidence files")
