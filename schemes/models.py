"""Certification schemes as the scheme documents (seeds/) define them.

Every number and every rule of a scheme is data here, so the two seed schemes (LSP TMI
"Pengelolaan Produksi" and LSP Renbang "Mengelola Pelaksanaan Rencana Pembangunan") and any
later scheme live side by side without special cases in code. Content fields come in pairs:
``name`` holds the scheme's own Indonesian wording, ``name_en`` an optional English version
(the catalogue falls back to Indonesian when it is empty).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .validators import validate_unit_code

SCHEMES_APP_LABEL = "schemes"


class Scheme(models.Model):
    class Type(models.TextChoices):
        KKNI = "kkni", _("KKNI")
        OCCUPATION = "okupasi", _("Occupation (Okupasi)")
        CLUSTER = "klaster", _("Cluster (Klaster)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    class Distribution(models.TextChoices):
        NOT_MARKED = "", _("Not marked in the document")
        CONTROLLED = "terkendali", _("Controlled (terkendali)")
        UNCONTROLLED = "tak_terkendali", _("Uncontrolled (tak terkendali)")

    # Identity of the scheme document (cover page).
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        unique=True,
        help_text=_("As printed on the scheme document, e.g. SCM.009A/LSP.TMI or SKM/02/KLS/VIII/2020."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Used in the catalogue's web address."))
    title = models.CharField(
        _("document title"), max_length=255, blank=True, help_text=_("The title on the cover of the scheme document.")
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("Scheme name (5.2), in Indonesian."))
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    scheme_type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    lsp_name = models.CharField(_("LSP name"), max_length=255)
    lsp_short_name = models.CharField(_("LSP short name"), max_length=100, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    copy_number = models.CharField(_("copy number"), max_length=50, blank=True)
    distribution_status = models.CharField(
        _("distribution status"), max_length=20, choices=Distribution.choices, blank=True, default=""
    )
    distribution_status_text = models.CharField(
        _("distribution status as written"),
        max_length=255,
        blank=True,
        help_text=_("The cover page's distribution status exactly as written, when no box is marked."),
    )

    # Section 8.
    fee = models.DecimalField(
        _("fee (Rupiah)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Certification fee in Rupiah (8). An application keeps the fee of the day it is submitted."),
    )
    fee_text = models.TextField(_("fee wording"), blank=True, help_text=_("Section 8 as written in the document."))
    fee_text_en = models.TextField(_("fee wording (English)"), blank=True)

    # Parameters: numbers later features compute deadlines from. The defaults are the
    # values both seed documents give; each cites the clause it comes from.
    certificate_validity_years = models.PositiveSmallIntegerField(
        _("certificate validity (years)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("How long a certificate is valid (9.4.6)."),
    )
    surveillance_interval_months = models.PositiveSmallIntegerField(
        _("surveillance interval (months)"),
        default=12,
        validators=[MinValueValidator(1)],
        help_text=_("Holders are surveyed at least this often after issue (9.6.2)."),
    )
    recertification_lead_months = models.PositiveSmallIntegerField(
        _("re-certification lead time (months)"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Re-certification is applied for at least this long before the certificate expires (9.7.1)."),
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("appeal window (days)"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("An appeal is filed at most this many days after the certification decision (9.9.2)."),
    )
    appeal_decision_working_days = models.PositiveSmallIntegerField(
        _("appeal decision time (working days)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("The appeal is decided within this many working days of its receipt (9.9.6)."),
    )

    ethics_title = models.CharField(_("code of ethics title"), max_length=255, blank=True)
    ethics_title_en = models.CharField(_("code of ethics title (English)"), max_length=255, blank=True)

    mapping_note = models.TextField(
        _("notes on how the document was entered"),
        blank=True,
        help_text=_(
            "Explain every choice made while entering the document, above all where clause 6 (prerequisites) "
            "and clause 9.1.2 (documents) do not line up: which document serves which prerequisite alternative, "
            "and what the document leaves open. Shown to administrators only."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["name", "document_number"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="scheme_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(certificate_validity_years__gte=1)
                & Q(surveillance_interval_months__gte=1)
                & Q(recertification_lead_months__gte=1)
                & Q(appeal_window_days__gte=1)
                & Q(appeal_decision_working_days__gte=1),
                name="scheme_parameters_positive",
            ),
        ]

    def __str__(self):
        return f"{self.document_number} · {self.name}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def is_in_use(self):
        """True when anything outside this app points at the scheme or one of its parts.

        Applications, certificates, sanctions… are added by later apps with PROTECT
        foreign keys; they are found through the models' related objects, so a new
        app's relation counts without a change here. The scheme's own settings that a
        later app keeps (``SCHEME_SETTINGS_MODELS``) are part of the scheme, not a use.
        """
        for _model, relation, path in external_relations():
            lookup = relation.field.name if not path else f"{relation.field.name}__{path}"
            if relation.related_model._base_manager.filter(**{lookup: self}).exists():
                return True
        return False


# How each model of this app reaches its scheme; used to find outside references to
# any part of a scheme (an application's chosen alternative, a sanction's ground…).
SCHEME_PATHS = {
    "scheme": "",
    "schemeapprover": "scheme",
    "unit": "scheme",
    "element": "unit__scheme",
    "performancecriterion": "element__unit__scheme",
    "prerequisitecondition": "scheme",
    "prerequisitealternative": "scheme",
    "requireddocument": "scheme",
    "schemeclause": "scheme",
}


# Settings of a scheme that a later app keeps in a table of its own, one row per scheme: the sanction policy
# (9.5.2, certificates app). The scheme file carries them (services.scheme_export / scheme_import), they are
# no use of the scheme, and they are deleted with a scheme nobody uses (admin).
SCHEME_SETTINGS_MODELS = ("certificates.sanctionpolicy",)


def external_relations():
    """(model of this app, relation from another app, path from the model to its scheme).

    ``relation.field`` is the other app's foreign key or many-to-many field. Relations of
    ``SCHEME_SETTINGS_MODELS`` are left out.
    """
    from django.apps import apps

    found = []
    for model in apps.get_app_config(SCHEMES_APP_LABEL).get_models():
        path = SCHEME_PATHS[model._meta.model_name]
        # The reverse side of every relation, like _meta.related_objects, but also those a later
        # app hides with related_name="+": a hidden foreign key still protects the scheme.
        relations = (
            field
            for field in model._meta.get_fields(include_hidden=True)
            if field.is_relation and field.auto_created and not field.concrete
        )
        for relation in relations:
            related = relation.related_model._meta
            if related.app_label != SCHEMES_APP_LABEL and related.label_lower not in SCHEME_SETTINGS_MODELS:
                found.append((model, relation, path))
    return found


class SchemeApprover(models.Model):
    """A person who approved the scheme document ("Disahkan … Oleh")."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="approvers")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255)
    position_en = models.CharField(_("position (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("approver")
        verbose_name_plural = _("approvers")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}, {self.position}"


class Unit(models.Model):
    """A unit of competency (unit kompetensi) of a scheme (section 5)."""

    class StandardType(models.TextChoices):
        SKKNI = "skkni", _("SKKNI (national standard)")
        SPECIAL = "khusus", _("Special standard (khusus)")
        INTERNATIONAL = "internasional", _("International standard")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="units")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(
        _("unit code"),
        max_length=32,
        validators=[validate_unit_code],
        help_text=_("Exactly as written in the standard, e.g. C.281930.002.01."),
    )
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    standard_type = models.CharField(
        _("standard"), max_length=16, choices=StandardType.choices, default=StandardType.SKKNI
    )

    class Meta:
        verbose_name = _("unit of competency")
        verbose_name_plural = _("units of competency")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="unique_unit_code_per_scheme",
                violation_error_message=_("This scheme already has a unit with this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Element(models.Model):
    """An element (elemen kompetensi) of a unit; optional, entered when known."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="elements")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["unit", "order", "id"]

    def __str__(self):
        return f"{self.unit.code} · {self.order}. {self.title}"


class PerformanceCriterion(models.Model):
    """A performance criterion (kriteria unjuk kerja, KUK) of an element."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("performance criterion (KUK)")
        verbose_name_plural = _("performance criteria (KUK)")
        ordering = ["element", "order", "id"]

    def __str__(self):
        return self.text[:80]


# Clause 6 sometimes ends an item with the list's connector ("…, atau", "…; atau"); the
# alternatives already say "and"/"or", so the catalogue shows the text without it.
LIST_CONNECTORS = ("; atau", ", atau", " atau", "; dan", ", dan", " dan")


def strip_connector(text):
    stripped = text.rstrip()
    for connector in LIST_CONNECTORS:
        if stripped.endswith(connector):
            return stripped[: -len(connector)].rstrip()
    return stripped


class PrerequisiteCondition(models.Model):
    """One numbered requirement of clause 6, with the document's wording."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="prerequisite_conditions")
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(_("clause"), max_length=20, help_text=_("e.g. 6.1"))
    text = models.TextField(_("text"), help_text=_("Exactly as written in clause 6."))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("prerequisite condition")
        verbose_name_plural = _("prerequisite conditions")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "clause"],
                name="unique_prerequisite_clause_per_scheme",
                violation_error_message=_("This scheme already has a prerequisite with this clause number."),
            ),
        ]

    def __str__(self):
        return f"{self.clause} {strip_connector(self.text)[:80]}"

    @property
    def display_text(self):
        return strip_connector(self.text)

    @property
    def display_text_en(self):
        return strip_connector(self.text_en)


class PrerequisiteAlternative(models.Model):
    """One way of meeting clause 6: all its conditions together (an "and" of conditions).

    A scheme's prerequisites are the "or" of its alternatives, e.g. TMI's "6.1 and (6.2 or
    6.3)" is A = {6.1, 6.2} or B = {6.1, 6.3}. An applicant chooses the alternative they meet.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="prerequisite_alternatives")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=10, help_text=_("A short code, e.g. A."))
    label = models.CharField(_("label"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True)
    conditions = models.ManyToManyField(
        PrerequisiteCondition,
        related_name="alternatives",
        verbose_name=_("conditions"),
        help_text=_("All of these must be met (conditions of the same scheme)."),
    )

    class Meta:
        verbose_name = _("prerequisite alternative")
        verbose_name_plural = _("prerequisite alternatives")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="unique_prerequisite_alternative_code_per_scheme",
                violation_error_message=_("This scheme already has an alternative with this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.label}"


class RequiredDocument(models.Model):
    """A document the applicant attaches to APL-01 (9.1.2)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="required_documents")
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(_("clause"), max_length=20, help_text=_("e.g. 9.1.2.b"))
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(
        _("requirement"), help_text=_("What the applicant must provide, in the document's own words.")
    )
    description_en = models.TextField(_("requirement (English)"), blank=True)
    source_text = models.TextField(
        _("clause item as written"),
        blank=True,
        help_text=_(
            "The whole item of clause 9.1.2 this document comes from, verbatim, when one item asks for several "
            "documents that serve different alternatives (e.g. 9.1.2.c of LSP Renbang)."
        ),
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    photo_size = models.CharField(_("photo size"), max_length=20, blank=True, help_text=_("For photos, e.g. 3x4."))
    photo_background = models.CharField(
        _("photo background"), max_length=50, blank=True, help_text=_("For photos, e.g. merah (red).")
    )
    for_all_applicants = models.BooleanField(
        _("for all applicants"), default=False, help_text=_("Needed whatever alternative the applicant chooses.")
    )
    alternatives = models.ManyToManyField(
        PrerequisiteAlternative,
        blank=True,
        related_name="required_documents",
        verbose_name=_("needed for alternatives"),
        help_text=_(
            "The prerequisite alternatives (clause 6) for which this document (clause 9.1.2) is needed. Where the "
            "scheme's clause 9.1.2 groups documents differently from clause 6, link each document to the "
            "alternatives it serves, keep both wordings as written, and explain the choice in the scheme's notes."
        ),
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["scheme", "order", "id"]

    def __str__(self):
        return f"{self.clause} {self.name}"


class SchemeClause(models.Model):
    """A numbered item (or an unnumbered paragraph) of the scheme document.

    ``kind`` says which part of the document it belongs to. Suspension grounds (9.5), rules
    of certificate use (9.8) and code of ethics items (9.10) are rows of their own, so that
    a sanction can point at the ground it applies and a holder's agreement at the rules.
    A row without a clause number is a paragraph (an introduction or closing sentence).
    """

    class Kind(models.TextChoices):
        BACKGROUND = "background", _("Background (1)")
        SCOPE = "scope", _("Scope (2)")
        PURPOSE = "purpose", _("Purpose (3)")
        REFERENCE = "reference", _("Normative reference (4)")
        RIGHT = "right", _("Applicant's right (7.1)")
        DUTY = "duty", _("Certificate holder's duty (7.2)")
        PROCESS = "process", _("Certification process (9)")
        SUSPENSION_GROUND = "suspension_ground", _("Ground for suspension or revocation (9.5)")
        USE_RULE = "use_rule", _("Rule of certificate use (9.8)")
        ETHICS = "ethics", _("Code of ethics (9.10)")

    # The process section (9.1–9.9) is read in document order across these kinds.
    PROCESS_KINDS = (Kind.PROCESS, Kind.SUSPENSION_GROUND, Kind.USE_RULE)

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(
        _("clause"), max_length=20, blank=True, help_text=_("e.g. 9.9.2, or a letter; empty for a paragraph.")
    )
    heading = models.CharField(
        _("section heading"),
        max_length=255,
        blank=True,
        help_text=_("The heading this item is listed under, e.g. Catur Karsa."),
    )
    heading_en = models.CharField(_("section heading (English)"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["scheme", "order", "id"]

    def __str__(self):
        return f"{self.clause or '¶'} {self.text[:80]}"

    @property
    def is_paragraph(self):
        return not self.clause
