"""Schedules (jadwal uji kompetensi) and the assignment of an assessor to each candidate (9.2.2)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registries import Assessor, Tuk


class Schedule(models.Model):
    """A competency test session: one scheme, one verified TUK, a date and time, a number of seats."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("schedule number"), max_length=40, unique=True)
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="assessment_schedules", verbose_name=_("scheme")
    )
    tuk = models.ForeignKey(Tuk, on_delete=models.PROTECT, related_name="schedules", verbose_name=_("TUK"))
    # Local dates and times (Asia/Jakarta), as printed on the invitation.
    date = models.DateField(_("test date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (candidates)"))
    assessors = models.ManyToManyField(
        Assessor, related_name="schedules", blank=True, verbose_name=_("assessors")
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # FR.AK.05 (report of the session), built in the background into private storage.
    report_pdf = models.CharField(max_length=255, blank=True)
    report_pdf_built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("test schedule")
        verbose_name_plural = _("test schedules")
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="schedule_capacity_positive"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="schedule_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.date:%Y-%m-%d} · {self.tuk.name}"

    @property
    def is_open(self):
        return self.status == self.Status.SCHEDULED


class Assignment(models.Model):
    """One candidate (an accepted, paid application) on one schedule, with their assessor.

    The assessor sees the candidate's file only once they have declared no conflict of
    interest (status ``active``). A declared conflict sends the assignment back to
    ``awaiting_assessor`` and that assessor can never be assigned to this candidate again.
    """

    class Status(models.TextChoices):
        AWAITING_ASSESSOR = "awaiting_assessor", _("Awaiting an assessor")
        AWAITING_DECLARATION = "awaiting_declaration", _("Awaiting the assessor's declaration")
        ACTIVE = "active", _("Assessor assigned")
        REMOVED = "removed", _("Removed from the schedule")

    OPEN_STATUSES = (Status.AWAITING_ASSESSOR, Status.AWAITING_DECLARATION, Status.ACTIVE)

    schedule = models.ForeignKey(
        Schedule, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("schedule")
    )
    application = models.ForeignKey(
        "applicants.Application",
        on_delete=models.PROTECT,
        related_name="assessment_assignments",
        verbose_name=_("application"),
    )
    assessor = models.ForeignKey(
        Assessor,
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
        verbose_name=_("assessor"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.AWAITING_ASSESSOR
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assessor assigned at"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(_("no conflict declared at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["schedule", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "application"], name="one_assignment_per_application_per_schedule"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["awaiting_assessor", "awaiting_declaration", "active"]),
                name="one_open_assignment_per_application",
                violation_error_message=_("This candidate is already on a schedule."),
            ),
            models.CheckConstraint(
                condition=Q(status="awaiting_assessor", assessor__isnull=True)
                | Q(status__in=["awaiting_declaration", "active"], assessor__isnull=False)
                | Q(status="removed"),
                name="assignment_assessor_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.schedule.number} · {self.application.full_name or self.application.applicant}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def record_or_none(self):
        try:
            return self.record
        except models.ObjectDoesNotExist:
            return None

    def plan_or_none(self):
        try:
            return self.plan
        except models.ObjectDoesNotExist:
            return None

    def evidence_review_or_none(self):
        try:
            return self.evidence_review
        except models.ObjectDoesNotExist:
            return None

    def feedback_or_none(self):
        try:
            return self.feedback
        except models.ObjectDoesNotExist:
            return None

    @property
    def test_date(self):
        """The agreed date of the plan, else the schedule's."""
        plan = self.plan_or_none()
        return plan.date if plan else self.schedule.date


class ConflictDeclaration(models.Model):
    """The assessor's declaration about one candidate, before seeing the file (impartiality, 9.2.2)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="declarations")
    # Copied from the assignment so "this assessor declared a conflict with this candidate" is one lookup.
    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="declarations")
    has_conflict = models.BooleanField(_("conflict of interest"))
    kinds = models.JSONField(_("kind of conflict"), default=list, blank=True)
    note = models.TextField(_("explanation"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        ordering = ["-declared_at", "-id"]

    def __str__(self):
        return f"{self.assessor} · {self.application_id} · {'conflict' if self.has_conflict else 'no conflict'}"
