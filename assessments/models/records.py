"""The competency test record (FR.AK.02) and the assessor's recommendation to the LSP (9.3.3–9.3.5).

``AssessmentRecord`` is what the technical team's decision (9.4) reads: a ``submitted``
record carries the recommendation ``K`` (Kompeten) or ``BK`` (Belum Kompeten).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Verdict, method_labels
from .registries import Assessor
from .scheduling import Assignment


class AssessmentRecord(models.Model):
    """The results of one candidate's competency test and the assessor's recommendation.

    Draft while the assessor records; ``submitted`` sends it to the LSP (9.3.5) and locks
    it; staff may reopen a submitted record with a reason (audited). A record of a
    candidate taken off the schedule is ``withdrawn``. At most one draft or submitted
    record exists per application.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the LSP")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE_STATUSES = (Status.DRAFT, Status.SUBMITTED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="record")
    # Copied from the assignment: the decision stage finds the record of an application directly.
    application = models.ForeignKey(
        "applicants.Application",
        on_delete=models.PROTECT,
        related_name="assessment_records",
        verbose_name=_("application"),
    )
    assessor = models.ForeignKey(
        Assessor, on_delete=models.PROTECT, related_name="records", verbose_name=_("assessor")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(
        _("recommendation"), max_length=2, choices=Verdict.choices, blank=True, default=""
    )
    follow_up = models.TextField(
        _("follow-up the candidate needs"),
        blank=True,
        help_text=_("Required for Belum Kompeten: what the candidate must do before a new assessment."),
    )
    note = models.TextField(_("assessor's note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("last reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # FR.AK.02 as a PDF in private storage, rebuilt by a task on each submission.
    pdf = models.CharField(max_length=255, blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessment record")
        verbose_name_plural = _("assessment records")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["draft", "submitted"]),
                name="one_active_assessment_record_per_application",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", recommendation__in=["K", "BK"], submitted_at__isnull=False)
                | Q(status__in=["draft", "withdrawn"], recommendation=""),
                name="submitted_record_has_recommendation",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"FR.AK.02 · {self.assignment}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_competent(self):
        return self.is_submitted and self.recommendation == Verdict.K


class UnitResult(models.Model):
    """The result of one unit: methods used, evidence with VATM, and K or BK (9.3.3, 9.3.4).

    ``verdict`` is the verdict that counts: K only when the assessor judged K, every
    element (where the scheme has them) is K, and every evidence item meets VATM.
    """

    record = models.ForeignKey(AssessmentRecord, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveSmallIntegerField(_("position"))
    unit_code = models.CharField(_("unit code"), max_length=32)
    unit_title = models.CharField(_("unit title"), max_length=500)
    methods = models.JSONField(_("methods used"), default=list)
    verdict = models.CharField(_("verdict"), max_length=2, choices=Verdict.choices)
    # What the assessor chose; differs from ``verdict`` when the VATM rule turned a K into BK.
    assessor_verdict = models.CharField(_("assessor's judgement"), max_length=2, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        ordering = ["record", "position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "unit_code"], name="one_result_per_unit"),
            models.CheckConstraint(
                condition=Q(verdict="BK") | Q(assessor_verdict="K"), name="unit_k_only_when_assessor_said_k"
            ),
        ]

    def __str__(self):
        return f"{self.unit_code}: {self.verdict}"

    @property
    def method_labels(self):
        return method_labels(self.methods)

    @property
    def downgraded(self):
        return self.assessor_verdict == Verdict.K and self.verdict == Verdict.BK


class ElementResult(models.Model):
    """K or BK for one element of a unit, where the scheme lists elements."""

    unit_result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="elements")
    element_index = models.PositiveSmallIntegerField(_("element"))
    element_title = models.CharField(_("element title"), max_length=500)
    verdict = models.CharField(_("verdict"), max_length=2, choices=Verdict.choices)

    class Meta:
        verbose_name = _("element result")
        verbose_name_plural = _("element results")
        ordering = ["unit_result", "element_index"]
        constraints = [
            models.UniqueConstraint(fields=["unit_result", "element_index"], name="one_result_per_element"),
        ]

    def __str__(self):
        return f"{self.element_index}: {self.verdict}"


class EvidenceItem(models.Model):
    """One piece of evidence collected in the test, judged against the VATM rules (9.3.3)."""

    unit_result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="evidence")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("evidence"), max_length=500)
    valid = models.BooleanField(_("Valid"), default=False)
    authentic = models.BooleanField(_("Asli (authentic)"), default=False)
    current = models.BooleanField(_("Terkini (current)"), default=False)
    sufficient = models.BooleanField(_("Memadai (sufficient)"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["unit_result", "order", "id"]

    def __str__(self):
        return self.description

    @property
    def meets_vatm(self):
        return self.valid and self.authentic and self.current and self.sufficient

    def vatm_failures(self):
        """The VATM rules this item does not meet, as letters (e.g. ["T"])."""
        flags = (("V", self.valid), ("A", self.authentic), ("T", self.current), ("M", self.sufficient))
        return [letter for letter, ok in flags if not ok]


class AssessmentFeedback(models.Model):
    """The candidate's feedback on the assessment (FR.AK.03), given once after the record is submitted."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="feedback")
    answers = models.JSONField(_("answers"), default=dict)
    comment = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment feedback (FR.AK.03)")
        verbose_name_plural = _("assessment feedback (FR.AK.03)")

    def __str__(self):
        return f"FR.AK.03 · {self.assignment}"
