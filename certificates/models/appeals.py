"""Appeals against a certification decision (9.9): the LSP's form (FR.AK.04), the appeal team, the decision
due within the scheme's working days of receipt (9.9.6), binding on both sides (9.9.7)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import PrivateFile


class Appeal(models.Model):
    """One appeal of a candidate against the decision on them (9.9.1).

    ``filed`` by the candidate within the scheme's window after the decision was communicated
    (9.9.2) → ``received``: staff acknowledge it, which starts the working-day clock (9.9.6), and
    form the appeal team of people not involved in the matter (9.9.4) → ``decided`` by that team:
    rejected (the decision stands), granted (the decision becomes "sertifikat diberikan" and a
    certificate is issued) or re-assessment by a different assessor. The candidate may withdraw
    an appeal that has not been decided.
    """

    class Status(models.TextChoices):
        FILED = "filed", _("Filed: waiting for the LSP to acknowledge receipt")
        RECEIVED = "received", _("Received: with the appeal team")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.FILED, Status.RECEIVED)

    class Outcome(models.TextChoices):
        REJECTED = "rejected", _("Appeal rejected: the decision stands")
        GRANTED = "granted", _("Appeal granted: the certificate is granted")
        REASSESSMENT = "reassessment", _("Appeal granted: re-assessment by a different assessor")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("appeal number"), max_length=40, unique=True)
    decision = models.ForeignKey(
        "certificates.Decision", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("decision appealed")
    )
    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT, related_name="appeals")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("appellant")
    )
    # FR.AK.04 (banding asesmen): the three questions, then the reasons.
    process_explained = models.BooleanField(_("the appeal process was explained to me"))
    discussed_with_assessor = models.BooleanField(_("I discussed the appeal with the assessor"))
    involves_other_person = models.BooleanField(_("I want another person to help me in the appeal"))
    other_person = models.CharField(_("who helps me"), max_length=200, blank=True)
    reasons = models.TextField(_("reasons for the appeal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FILED)
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    # The window the appeal was filed in (9.9.2), as it was then.
    window_deadline = models.DateTimeField(_("appeal window closed at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # received date + the scheme's appeal decision working days, on the working-day calendar (9.9.6).
    due_date = models.DateField(_("decision due"), null=True, blank=True)
    decision_working_days = models.PositiveSmallIntegerField(_("working days to decide"), null=True, blank=True)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AppealPanelMember", through_fields=("appeal", "member"),
        related_name="appeal_panels", blank=True,
        verbose_name=_("appeal team"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons of the appeal decision"), blank=True)
    decision_number = models.CharField(_("appeal decision number"), max_length=60, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Re-assessment: the assessors involved in the appealed matter, who may not re-assess (9.9.4).
    excluded_assessors = models.JSONField(_("assessors excluded from the re-assessment"), default=list, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=~Q(status="withdrawn"), name="one_appeal_per_decision",
                violation_error_message=_("This decision has already been appealed."),
            ),
            models.UniqueConstraint(
                fields=["decision_number"], condition=~Q(decision_number=""), name="unique_appeal_decision_number"
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (~Q(outcome="") & Q(decided_at__isnull=False) & ~Q(decision_number="")),
                name="decided_appeal_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(status="filed") | Q(status="withdrawn", received_at__isnull=True)
                | (Q(received_at__isnull=False) & Q(due_date__isnull=False)),
                name="received_appeal_has_due_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.application.full_name}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def working_days_left(self, today=None):
        """Working days from today to the due date (9.9.6): 0 on the due date, negative once overdue."""
        from lsp.workdays import working_days_between

        if self.due_date is None:
            return None
        return working_days_between(today or timezone.localdate(), self.due_date)

    @property
    def days_left(self):
        return self.working_days_left()

    @property
    def is_overdue(self):
        return self.status == self.Status.RECEIVED and self.due_date is not None and timezone.localdate() > self.due_date

    def letter_or_none(self):
        try:
            return self.letter
        except models.ObjectDoesNotExist:
            return None


class AppealPanelMember(models.Model):
    """A member of the appeal team of one appeal (9.9.4), appointed by staff."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="panel_members")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appeal team member")
        verbose_name_plural = _("appeal team members")
        ordering = ["appeal", "appointed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "member"], name="one_seat_per_member_per_appeal"),
        ]

    def __str__(self):
        return f"{self.appeal.number} · {self.member}"


class AppealAttachment(PrivateFile):
    """A file the candidate attaches to the appeal form."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="attachments")

    class Meta(PrivateFile.Meta):
        verbose_name = _("appeal attachment")
        verbose_name_plural = _("appeal attachments")
