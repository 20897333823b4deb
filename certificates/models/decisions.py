"""The certification decision (9.4.1–9.4.5): the technical team's meeting, each candidate's decision,
the Berita Acara of the meeting and the Surat Keputusan issued from it."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TechnicalMeeting(models.Model):
    """A meeting of the technical team (rapat tim teknis) that decides on submitted recommendations (9.4.4).

    ``open`` while the members decide; ``closed`` once the Berita Acara is drawn up, which
    is also when the candidates are told their decision.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open: deciding")
        CLOSED = "closed", _("Closed: Berita Acara drawn up")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=255)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="technical_meetings", verbose_name=_("members")
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(_("convened at"), default=timezone.now)
    # The Berita Acara (9.4.4): numbered when the meeting is closed.
    minutes_number = models.CharField(_("Berita Acara number"), max_length=60, blank=True)
    minutes_date = models.DateField(_("Berita Acara date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_pdf = models.CharField(max_length=255, blank=True)
    minutes_pdf_built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("technical team meeting")
        verbose_name_plural = _("technical team meetings")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes_number"], condition=~Q(minutes_number=""), name="unique_minutes_number"
            ),
            models.CheckConstraint(
                condition=Q(status="open", minutes_number="") | Q(status="closed", closed_at__isnull=False)
                & ~Q(minutes_number=""),
                name="closed_meeting_has_minutes",
            ),
        ]

    def __str__(self):
        return f"{_('Technical team meeting')} {self.date:%Y-%m-%d}" + (
            f" · {self.minutes_number}" if self.minutes_number else ""
        )

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def letter_or_none(self):
        try:
            return self.letter
        except models.ObjectDoesNotExist:
            return None


class MeetingItem(models.Model):
    """A submitted recommendation put before the meeting."""

    meeting = models.ForeignKey(TechnicalMeeting, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(
        "assessments.AssessmentRecord", on_delete=models.PROTECT, related_name="meeting_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting item")
        verbose_name_plural = _("meeting items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "record"], name="one_item_per_record_per_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.record.application.full_name}"

    def decision_or_none(self):
        return Decision.objects.filter(record_id=self.record_id, meeting_id=self.meeting_id).first()


class ImpartialityDeclaration(models.Model):
    """A technical team member's declared conflict with a candidate (e.g. trained them): they do not decide."""

    class Kind(models.TextChoices):
        TRAINED = "trained", _("I trained or coached this candidate")
        ASSESSED = "assessed", _("I was involved in this candidate's assessment")
        RELATIONSHIP = "relationship", _("Family, employer or other personal relationship")
        OTHER = "other", _("Another conflict of interest")

    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(TechnicalMeeting, on_delete=models.PROTECT, related_name="declarations")
    kind = models.CharField(_("kind of conflict"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("explanation"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("impartiality declaration")
        verbose_name_plural = _("impartiality declarations")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_declaration_per_member_candidate"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()}"


class Decision(models.Model):
    """The certification decision on one candidate (9.4.2–9.4.4): sertifikat diberikan / tidak diberikan.

    One per assessment record (the unique constraint), taken in a meeting by a member with no
    part in the candidate's assessment. ``communicated_at`` is when the candidate was told;
    an appeal is due within the scheme's window from then (9.9.2).
    """

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Sertifikat diberikan (certificate granted)")
        NOT_GRANTED = "not_granted", _("Sertifikat tidak diberikan (certificate not granted)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(TechnicalMeeting, on_delete=models.PROTECT, related_name="decisions")
    record = models.ForeignKey(
        "assessments.AssessmentRecord", on_delete=models.PROTECT, related_name="decisions",
        verbose_name=_("assessment record"),
    )
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.PROTECT, related_name="certification_decisions",
        verbose_name=_("application"),
    )
    # The recommendation as the team read it (the record could be corrected later; this stays).
    recommendation = models.CharField(_("recommendation"), max_length=2)
    recommendation_verified = models.BooleanField(_("recommendation verified"), default=False)
    evidence_verified = models.BooleanField(_("evidence record verified"), default=False)
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    communicated_at = models.DateTimeField(_("communicated to the candidate at"), null=True, blank=True)
    # An appeal decision binds the LSP (9.9.7): it changes this decision (granted) or sets it aside for a
    # re-assessment. The outcome the technical team gave is kept beside it.
    amended_by = models.OneToOneField(
        "certificates.Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_decision",
        verbose_name=_("changed by appeal"),
    )
    original_outcome = models.CharField(_("decision of the technical team"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("certification decision")
        verbose_name_plural = _("certification decisions")
        ordering = ["meeting", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record"], name="one_decision_per_record"),
            models.CheckConstraint(
                condition=Q(recommendation_verified=True, evidence_verified=True), name="decision_verified_first"
            ),
            # No certificate on a Belum Kompeten recommendation (9.4.6: only those found competent),
            # unless an appeal decided so; that decision binds the LSP (9.9.7).
            models.CheckConstraint(
                condition=~Q(outcome="granted") | Q(recommendation="K") | Q(amended_by__isnull=False),
                name="granted_only_on_kompeten_or_appeal",
            ),
        ]

    def __str__(self):
        return f"{self.application.full_name} · {self.get_outcome_display()}"

    @property
    def is_granted(self):
        return self.outcome == self.Outcome.GRANTED

    @property
    def is_set_aside(self):
        """A re-assessment was ordered on appeal: this decision no longer stands; a new one will follow."""
        return self.amended_by_id is not None and self.outcome == self.Outcome.NOT_GRANTED

    @property
    def original_outcome_display(self):
        """The technical team's decision, before any appeal changed it."""
        return self.Outcome(self.original_outcome).label if self.original_outcome else self.get_outcome_display()

    def current_appeal(self):
        """The appeal of this decision that was not withdrawn (uses prefetched ``appeals``), or None."""
        return next((appeal for appeal in self.appeals.all() if appeal.status != "withdrawn"), None)

    @property
    def is_appealable(self):
        """"Tidak diberikan", communicated, not changed on appeal, and the window still open (9.9.2)."""
        deadline = self.appeal_deadline
        return (
            self.outcome == self.Outcome.NOT_GRANTED
            and self.amended_by_id is None
            and deadline is not None
            and timezone.now() <= deadline
        )

    @property
    def appeal_deadline(self):
        """communicated_at + the scheme's appeal window in days (9.9.2); None until communicated."""
        if self.communicated_at is None:
            return None
        return self.communicated_at + datetime.timedelta(days=self.application.scheme.appeal_window_days)

    def certificate_or_none(self):
        try:
            return self.certificate
        except models.ObjectDoesNotExist:
            return None


class DecisionLetter(models.Model):
    """The Surat Keputusan (SK) of the LSP, issued from a meeting's Berita Acara (9.4.5), or from the decision
    of an appeal team that granted the certificate (9.9.7): exactly one of ``meeting`` and ``appeal``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.OneToOneField(
        TechnicalMeeting, on_delete=models.PROTECT, related_name="letter", null=True, blank=True
    )
    appeal = models.OneToOneField(
        "certificates.Appeal", on_delete=models.PROTECT, related_name="letter", null=True, blank=True
    )
    number = models.CharField(_("SK number"), max_length=60, unique=True)
    date = models.DateField(_("SK date"))
    signatory = models.ForeignKey(
        "certificates.Signatory", on_delete=models.PROTECT, related_name="+", verbose_name=_("signatory")
    )
    # As printed: a later edit of the signatory does not rewrite the letter.
    signatory_name = models.CharField(_("signatory name"), max_length=200)
    signatory_position = models.CharField(_("signatory position"), max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    pdf = models.CharField(max_length=255, blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Surat Keputusan (SK)")
        verbose_name_plural = _("Surat Keputusan (SK)")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, appeal__isnull=True) | Q(meeting__isnull=True, appeal__isnull=False),
                name="letter_based_on_meeting_or_appeal",
            ),
        ]

    def __str__(self):
        return f"SK {self.number}"

    def granted_decisions(self):
        """The candidates this SK grants a certificate to. A meeting's SK leaves out decisions an appeal
        changed afterwards: those are granted by the SK of the appeal."""
        if self.appeal_id is not None:
            queryset = Decision.objects.filter(amended_by_id=self.appeal_id, outcome=Decision.Outcome.GRANTED)
        else:
            queryset = self.meeting.decisions.filter(outcome=Decision.Outcome.GRANTED, amended_by__isnull=True)
        return queryset.select_related("application__scheme", "record__assessor__user").order_by(
            "application__full_name", "id"
        )

    @property
    def basis_number(self):
        """The Berita Acara, or the appeal decision, this SK is based on."""
        return self.appeal.decision_number if self.appeal_id else self.meeting.minutes_number
