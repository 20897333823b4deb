"""Applications for certification (9.1): APL-01, APL-02, evidence, review, fee and payment.

An applicant (pemohon) keeps one ``ApplicantProfile``; each ``Application`` copies it and
updates it back, so the next application starts filled in. On submission the application
keeps a snapshot of the scheme as it was (fee, units, the chosen prerequisite alternative
and its documents): later edits of the scheme never change a submitted application.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

validate_nik = RegexValidator(
    regex=r"^[0-9]{16}$",
    message=_("The NIK has exactly 16 digits, as printed on the KTP."),
    code="invalid_nik",
)
validate_postcode = RegexValidator(
    regex=r"^[0-9]{5}$", message=_("An Indonesian postcode has 5 digits."), code="invalid_postcode"
)


# An applicant has at most one application in these statuses per scheme (a partial unique constraint).
OPEN_STATUS_VALUES = ("draft", "submitted", "revision_requested", "accepted")


class Sex(models.TextChoices):
    MALE = "male", _("Male (laki-laki)")
    FEMALE = "female", _("Female (perempuan)")


class Education(models.TextChoices):
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior or vocational high school (SMA/SMK)")
    D1 = "d1", _("Diploma 1 (D1)")
    D2 = "d2", _("Diploma 2 (D2)")
    D3 = "d3", _("Diploma 3 (D3)")
    D4 = "d4", _("Applied bachelor (D4)")
    S1 = "s1", _("Bachelor (S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")


class PersonalData(models.Model):
    """The APL-01 fields about the person (Bagian 1), shared by the profile and each application."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    nik = models.CharField(_("NIK (national identity number)"), max_length=16, blank=True, validators=[validate_nik])
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True, default="Indonesia")
    address = models.TextField(_("home address"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True, validators=[validate_postcode])
    phone_home = models.CharField(_("home phone"), max_length=30, blank=True)
    phone_office = models.CharField(_("office phone"), max_length=30, blank=True)
    phone_mobile = models.CharField(_("mobile phone"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    education = models.CharField(_("highest education"), max_length=8, choices=Education.choices, blank=True)

    # Current work (Data pekerjaan sekarang); students may leave it empty.
    work_institution = models.CharField(_("institution or company"), max_length=200, blank=True)
    work_position = models.CharField(_("position"), max_length=150, blank=True)
    work_address = models.TextField(_("office address"), blank=True)
    work_postcode = models.CharField(_("office postcode"), max_length=5, blank=True, validators=[validate_postcode])
    work_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    work_fax = models.CharField(_("office fax"), max_length=30, blank=True)
    work_email = models.EmailField(_("office email"), blank=True)

    PERSONAL_FIELDS = (
        "full_name",
        "nik",
        "birth_place",
        "birth_date",
        "sex",
        "nationality",
        "address",
        "postcode",
        "phone_home",
        "phone_office",
        "phone_mobile",
        "email",
        "education",
    )
    PERSONAL_REQUIRED = (
        "full_name",
        "nik",
        "birth_place",
        "birth_date",
        "sex",
        "nationality",
        "address",
        "postcode",
        "phone_mobile",
        "email",
        "education",
    )
    WORK_FIELDS = (
        "work_institution",
        "work_position",
        "work_address",
        "work_postcode",
        "work_phone",
        "work_fax",
        "work_email",
    )

    class Meta:
        abstract = True

    def personal_data(self):
        return {name: getattr(self, name) for name in self.PERSONAL_FIELDS + self.WORK_FIELDS}


class ApplicantProfile(PersonalData):
    """One per applicant: what the next application starts from."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applicant_profile")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")

    def __str__(self):
        return self.full_name or str(self.user)


class Application(PersonalData):
    """One application for one scheme: APL-01 + documents + APL-02, then the LSP's review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, under review")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")
        ACCEPTED = "accepted", _("Accepted (asesi)")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # For the later stages: the certification process of this application has ended
        # (decision taken), so the same person may apply again (re-certification, 9.7).
        COMPLETED = "completed", _("Completed")

    OPEN_STATUSES = tuple(map(Status, OPEN_STATUS_VALUES))
    # The applicant may change the application only in these (and, in a revision, only what was asked).
    EDITABLE_STATUSES = (Status.DRAFT, Status.REVISION_REQUESTED)

    class Purpose(models.TextChoices):
        CERTIFICATION = "sertifikasi", _("Certification (Sertifikasi)")
        RECERTIFICATION = "sertifikasi_ulang", _("Re-certification (Sertifikasi Ulang)")
        PKT = "pkt", _("Recognition of current competency (PKT)")
        RPL = "rpl", _("Recognition of prior learning (RPL)")
        OTHER = "lainnya", _("Other (Lainnya)")

    class Funding(models.TextChoices):
        SELF = "self", _("Self-funded")
        EMPLOYER = "employer", _("Employer")
        GOVERNMENT = "government", _("Government programme")
        OTHER = "other", _("Other")

    class Section(models.TextChoices):
        """The parts of the application; a revision names the ones to fix."""

        PERSONAL = "personal", _("APL-01: personal data")
        WORK = "work", _("APL-01: current work")
        PURPOSE = "purpose", _("APL-01: purpose of assessment and funding")
        DOCUMENTS = "documents", _("APL-01: documents (9.1.2)")
        SELF_ASSESSMENT = "self_assessment", _("APL-02: self-assessment")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="applications", verbose_name=_("scheme")
    )
    alternative = models.ForeignKey(
        "schemes.PrerequisiteAlternative",
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        verbose_name=_("prerequisite alternative"),
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(_("registration number"), max_length=40, blank=True)

    purpose = models.CharField(_("purpose of assessment"), max_length=20, choices=Purpose.choices, blank=True)
    # Re-certification (9.7): the certificate this application renews, when the holder started it from there.
    # The new certificate replaces it, and it becomes "superseded" when the new one is issued.
    recertifies = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recertification_applications",
        verbose_name=_("certificate renewed"),
    )
    purpose_other = models.CharField(_("other purpose"), max_length=200, blank=True)
    funding = models.CharField(_("funding source"), max_length=16, choices=Funding.choices, blank=True)
    funding_detail = models.CharField(
        _("funder"), max_length=200, blank=True, help_text=_("Name of the employer or programme, if any.")
    )

    # 9.1.4 and personal-data consent, given at submission.
    declared_at = models.DateTimeField(_("declaration agreed at"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consent to data processing given at"), null=True, blank=True)

    # The scheme as it was when first submitted; fee kept as a number for sums and invoices.
    snapshot = models.JSONField(_("scheme snapshot"), default=dict, blank=True)
    fee = models.DecimalField(
        _("fee (Rupiah)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The latest revision request: what to fix, and by when.
    revision_note = models.TextField(_("what to fix"), blank=True)
    revision_sections = models.JSONField(_("sections to fix"), default=list, blank=True)
    revision_due = models.DateField(_("revision due"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    # APL-01 and APL-02 as PDFs, in private storage (built by a Celery task).
    apl01_pdf = models.CharField(max_length=255, blank=True)
    apl02_pdf = models.CharField(max_length=255, blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "scheme"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="one_open_application_per_applicant_scheme",
                violation_error_message=_("You already have an open application for this scheme."),
            ),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="unique_application_reference"
            ),
            models.CheckConstraint(condition=Q(fee__isnull=True) | Q(fee__gte=0), name="application_fee_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "last_submitted_at"]),
            # The staff queue (selectors.review_queue): its count and its page by scheme and status.
            models.Index(
                fields=["status", "scheme", "last_submitted_at", "id"],
                condition=Q(submitted_at__isnull=False),
                name="application_review_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reference or _('draft')} · {self.full_name or self.applicant} · {self.scheme.name}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    @property
    def was_submitted(self):
        return self.submitted_at is not None

    @property
    def invoice_or_none(self):
        try:
            return self.invoice
        except Invoice.DoesNotExist:
            return None

    @property
    def is_payment_settled(self):
        """Paid (transfer verified) or sponsored: the assessment may be scheduled (section 8)."""
        invoice = self.invoice_or_none
        return invoice is not None and invoice.is_settled

    def section_open_for_revision(self, section):
        return self.status == self.Status.REVISION_REQUESTED and section in (self.revision_sections or [])

    def is_section_editable(self, section):
        """A draft is open everywhere; a revision only where the LSP asked (the services enforce it)."""
        return self.status == self.Status.DRAFT or self.section_open_for_revision(section)


class Document(models.Model):
    """An uploaded file: a 9.1.2 document, APL-02 evidence or a transfer proof.

    Stored under a random name in private storage; served only by a view that checks the
    viewer (``applicants.permissions.can_view_document``). Never deleted by a user action:
    a replaced file is marked superseded and stays in the record.
    """

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", _("Required document (9.1.2)")
        EVIDENCE = "evidence", _("Supporting evidence (APL-02)")
        PAYMENT_PROOF = "payment_proof", _("Transfer proof")

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed yet")
        MEETS = "meets", _("Meets the requirement (memenuhi syarat)")
        FAILS = "fails", _("Does not meet the requirement (tidak memenuhi syarat)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applicant_documents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The 9.1.2 requirement this file answers (its id also appears in the snapshot).
    requirement = models.ForeignKey(
        "schemes.RequiredDocument",
        on_delete=models.PROTECT,
        related_name="applicant_documents",
        null=True,
        blank=True,
        verbose_name=_("requirement"),
    )
    title = models.CharField(_("description"), max_length=200, blank=True)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    review = models.CharField(_("review"), max_length=8, choices=Review.choices, default=Review.PENDING)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="requirement") | Q(requirement__isnull=False),
                name="requirement_document_has_requirement",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_current(self):
        return self.superseded_at is None

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class SelfAssessmentAnswer(models.Model):
    """APL-02: "Dapatkah saya …?" answered K or BK for one unit (or one element of it).

    Keyed by the unit code and the element's position, with the titles copied, so the
    answer still reads right after the scheme is edited.
    """

    class Answer(models.TextChoices):
        K = "K", _("Kompeten (K)")
        BK = "BK", _("Belum Kompeten (BK)")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    unit_code = models.CharField(_("unit code"), max_length=32)
    unit_title = models.CharField(_("unit title"), max_length=500)
    element_index = models.PositiveSmallIntegerField(
        _("element"), default=0, help_text=_("0 for the unit as a whole, else the element's position (1, 2, …).")
    )
    element_title = models.CharField(_("element title"), max_length=500, blank=True)
    answer = models.CharField(_("answer"), max_length=2, choices=Answer.choices)
    evidence = models.ManyToManyField(Document, blank=True, related_name="answers", verbose_name=_("evidence"))
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("self-assessment answer (APL-02)")
        verbose_name_plural = _("self-assessment answers (APL-02)")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "unit_code", "element_index"], name="one_answer_per_unit_element"
            ),
        ]

    def __str__(self):
        return f"{self.unit_code}/{self.element_index}: {self.answer}"


class Invoice(models.Model):
    """The fee owed for an accepted application (section 8), with the LSP's bank details of the day."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Awaiting payment")
        PROOF_SUBMITTED = "proof_submitted", _("Transfer proof awaiting verification")
        PROOF_REJECTED = "proof_rejected", _("Transfer proof rejected")
        PAID = "paid", _("Paid")
        SPONSORED = "sponsored", _("Paid by a sponsor")

    SETTLED_STATUSES = (Status.PAID, Status.SPONSORED)

    class SponsorType(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        GOVERNMENT = "government", _("Government programme")
        COLLECTIVE = "collective", _("Collective registration")
        OTHER = "other", _("Other")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount (Rupiah)"), max_digits=14, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Copied from the LSP profile at issue: a later change of account does not rewrite it.
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=50, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNPAID)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sponsor_type = models.CharField(_("sponsor"), max_length=16, choices=SponsorType.choices, blank=True)
    sponsor_name = models.CharField(_("sponsor name"), max_length=200, blank=True)
    sponsor_reference = models.CharField(_("sponsor reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="sponsored") | ~Q(sponsor_reference=""), name="sponsored_invoice_has_reference"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_settled(self):
        return self.status in self.SETTLED_STATUSES

    @property
    def current_proof(self):
        return self.proofs.exclude(status=PaymentProof.Status.SUPERSEDED).order_by("-submitted_at", "-id").first()


class PaymentProof(models.Model):
    """A transfer proof uploaded by the applicant, verified or rejected by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Replaced by a newer proof")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="proofs")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="payment_proof")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        verbose_name = _("transfer proof")
        verbose_name_plural = _("transfer proofs")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.invoice.number} · {self.get_status_display()}"


class Question(models.Model):
    """An applicant's question to the LSP about a scheme or their application (7.1.2)."""

    class Status(models.TextChoices):
        AWAITING_LSP = "awaiting_lsp", _("Awaiting the LSP's answer")
        ANSWERED = "answered", _("Answered")

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions")
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AWAITING_LSP)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last message at"), default=timezone.now)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.subject


class QuestionMessage(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_lsp = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]
