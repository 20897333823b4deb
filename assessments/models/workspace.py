"""The assessor's work before the test: APL-02 evidence review (9.2.5, 9.2.6) and the plan (9.2.3, 9.2.4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import method_labels
from .registries import Tuk
from .scheduling import Assignment


class EvidenceReview(models.Model):
    """The assessor's review of the APL-02 evidence (9.2.5) and whether the assessment can proceed (9.2.6)."""

    class Outcome(models.TextChoices):
        PROCEED = "proceed", _("The assessment can proceed (asesmen dapat dilanjutkan)")
        NOT_PROCEED = "not_proceed", _("The assessment cannot proceed (asesmen tidak dapat dilanjutkan)")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="evidence_review")
    outcome = models.CharField(_("recommendation"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("APL-02 evidence review")
        verbose_name_plural = _("APL-02 evidence reviews")

    def __str__(self):
        return f"{self.assignment} · {self.get_outcome_display()}"

    @property
    def may_proceed(self):
        return self.outcome == self.Outcome.PROCEED


class EvidenceReviewUnit(models.Model):
    """Adequacy of the APL-02 evidence for one unit."""

    review = models.ForeignKey(EvidenceReview, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveSmallIntegerField(_("position"))
    unit_code = models.CharField(_("unit code"), max_length=32)
    unit_title = models.CharField(_("unit title"), max_length=500)
    adequate = models.BooleanField(_("evidence adequate"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("evidence review of a unit")
        verbose_name_plural = _("evidence reviews of units")
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "unit_code"], name="one_evidence_review_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit_code}: {'adequate' if self.adequate else 'not adequate'}"


class AssessmentPlan(models.Model):
    """The assessment plan (rencana asesmen): per unit the methods and evidence, and when and where.

    The candidate agrees to it and to the confidentiality terms on line (9.2.4, FR.AK.01);
    an agreed plan is locked, and only then can results be recorded.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the candidate's agreement")
        AGREED = "agreed", _("Agreed by the candidate (FR.AK.01)")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="plan")
    date = models.DateField(_("agreed test date"))
    start_time = models.TimeField(_("agreed start time"))
    tuk = models.ForeignKey(Tuk, on_delete=models.PROTECT, related_name="+", verbose_name=_("TUK"))
    notes = models.TextField(_("notes for the candidate"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    # Bumped on every change, so an agreement always refers to the text the candidate read.
    version = models.PositiveIntegerField(_("version"), default=1)
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    confidentiality_agreed_at = models.DateTimeField(_("confidentiality agreed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment plan")
        verbose_name_plural = _("assessment plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed")
                | Q(status="agreed", agreed_at__isnull=False, confidentiality_agreed_at__isnull=False),
                name="agreed_plan_has_agreement_times",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.get_status_display()}"

    @property
    def is_agreed(self):
        return self.status == self.Status.AGREED


class PlanUnit(models.Model):
    """The methods (9.3.1) and the evidence to collect for one unit of the plan (9.2.3)."""

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveSmallIntegerField(_("position"))
    unit_code = models.CharField(_("unit code"), max_length=32)
    unit_title = models.CharField(_("unit title"), max_length=500)
    methods = models.JSONField(_("methods"), default=list)
    evidence_to_collect = models.TextField(_("evidence to collect"), blank=True)

    class Meta:
        verbose_name = _("plan of a unit")
        verbose_name_plural = _("plans of units")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit_code"], name="one_plan_row_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit_code}: {', '.join(self.methods)}"

    @property
    def method_labels(self):
        return method_labels(self.methods)
