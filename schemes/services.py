"""Writes to schemes: status changes, and moving a scheme between installations as JSON.

The file format (``FORMAT``, version 1) is one JSON object::

    {"format": "lsp-portal.scheme", "version": 1, "scheme": {
        <every field in SCHEME_FIELDS>,
        "approvers": [{name, position, position_en}],
        "units": [{code, title, title_en, standard_type,
                   "elements": [{title, title_en, "criteria": [{text, text_en}]}]}],
        "prerequisite_conditions": [{clause, text, text_en}],
        "prerequisite_alternatives": [{code, label, label_en, "conditions": ["6.1", "6.2"]}],
        "required_documents": [{clause, name, …, for_all_applicants, "alternatives": ["A"]}],
        "clauses": [{kind, clause, heading, heading_en, text, text_en}],
        "sanction_policy": {direct_suspension_allowed, direct_revocation_allowed,
                            warnings_before_revocation, clause}}}

Lists are in document order (their position becomes ``order``). Alternatives name their
conditions by clause number and documents name their alternatives by code, so a file
carries no database ids and imports into any installation.

``sanction_policy`` is optional: how the scheme's document lets the LSP suspend and revoke
(9.5.2, e.g. LSP TMI "secara langsung atau melalui tahapan peringatan"). It is stored as the
certificates app's ``SanctionPolicy`` of the scheme; a file without it leaves the scheme on
the default (revocation only after a warning), and a scheme without a policy row is exported
without the key.
"""

import json
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import DomainError, InvalidState

from .models import (
    SCHEME_SETTINGS_MODELS,
    Element,
    PerformanceCriterion,
    PrerequisiteAlternative,
    PrerequisiteCondition,
    RequiredDocument,
    Scheme,
    SchemeApprover,
    SchemeClause,
    Unit,
)

FORMAT = "lsp-portal.scheme"
VERSION = 1

SCHEME_FIELDS = [
    "document_number",
    "slug",
    "title",
    "name",
    "name_en",
    "scheme_type",
    "lsp_name",
    "lsp_short_name",
    "introduction",
    "introduction_en",
    "approval_date",
    "copy_number",
    "distribution_status",
    "distribution_status_text",
    "fee",
    "fee_text",
    "fee_text_en",
    "certificate_validity_years",
    "surveillance_interval_months",
    "recertification_lead_months",
    "appeal_window_days",
    "appeal_decision_working_days",
    "ethics_title",
    "ethics_title_en",
    "mapping_note",
    "status",
]
APPROVER_FIELDS = ["name", "position", "position_en"]
UNIT_FIELDS = ["code", "title", "title_en", "standard_type"]
ELEMENT_FIELDS = ["title", "title_en"]
CRITERION_FIELDS = ["text", "text_en"]
CONDITION_FIELDS = ["clause", "text", "text_en"]
ALTERNATIVE_FIELDS = ["code", "label", "label_en"]
DOCUMENT_FIELDS = [
    "clause",
    "name",
    "name_en",
    "description",
    "description_en",
    "source_text",
    "quantity",
    "photo_size",
    "photo_background",
    "for_all_applicants",
]
CLAUSE_FIELDS = ["kind", "clause", "heading", "heading_en", "text", "text_en"]
SANCTION_POLICY_FIELDS = [
    "direct_suspension_allowed",
    "direct_revocation_allowed",
    "warnings_before_revocation",
    "clause",
]


def _sanction_policy_model():
    # The policy is applied by the certificates app (9.5) and lives there; the scheme file only carries it.
    return apps.get_model("certificates", "SanctionPolicy")


def scheme_settings_delete(*, schemes):
    """Delete the settings other apps keep for these schemes (``models.SCHEME_SETTINGS_MODELS``), just before
    the schemes themselves are deleted; only for schemes nobody uses (``Scheme.is_in_use``)."""
    for label in SCHEME_SETTINGS_MODELS:
        apps.get_model(label).objects.filter(scheme__in=schemes).delete()


class SchemeImportError(DomainError):
    """The file was refused; ``reasons`` lists every problem found, nothing was written."""

    def __init__(self, reasons):
        self.reasons = [str(reason) for reason in reasons]
        super().__init__(_("The scheme file was not imported: %(reasons)s") % {"reasons": "; ".join(self.reasons)})


class DuplicateScheme(SchemeImportError):
    """A scheme with the file's document number already exists here."""


# --- rules shared by the admin, status changes and the importer --------------------------


ACTIVE_NEEDS_UNIT = _("An active scheme needs at least one unit of competency.")
ACTIVE_NEEDS_ALTERNATIVE = _("An active scheme needs at least one prerequisite alternative.")


def active_scheme_problems(*, unit_count, alternative_count):
    """Why a scheme with these many units and prerequisite alternatives cannot be active.

    An applicant must be able to see what is tested (section 5) and which prerequisite
    path (section 6) they can take, so a published scheme needs at least one of each.
    """
    problems = []
    if unit_count < 1:
        problems.append(ACTIVE_NEEDS_UNIT)
    if alternative_count < 1:
        problems.append(ACTIVE_NEEDS_ALTERNATIVE)
    return problems


# --- status -------------------------------------------------------------------------------


@transaction.atomic
def scheme_set_status(*, scheme, status, actor=None, reason=""):
    """Publish (active), withdraw (retired) or take back to draft. Same status: no change.

    A scheme in use is never deleted; retiring it is the way to take it off the catalogue.
    """
    if status not in Scheme.Status.values:
        raise InvalidState(_("Unknown scheme status."))
    locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if locked.status == status:
        return locked
    if status == Scheme.Status.ACTIVE:
        problems = active_scheme_problems(
            unit_count=locked.units.count(), alternative_count=locked.prerequisite_alternatives.count()
        )
        if problems:
            raise InvalidState(" ".join(str(problem) for problem in problems))
    from_status = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="scheme.status_changed",
        obj=locked,
        from_state=from_status,
        to_state=status,
        reason=reason,
    )
    return locked


def scheme_audit_admin_save(*, scheme, actor, created, from_status):
    """Record a scheme created or re-statused through the admin form (already validated there)."""
    if created:
        audit_record(actor=actor, action="scheme.created", obj=scheme, to_state=scheme.status)
    elif from_status != scheme.status:
        audit_record(
            actor=actor, action="scheme.status_changed", obj=scheme, from_state=from_status, to_state=scheme.status
        )


# --- export -------------------------------------------------------------------------------


def _value(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(obj, names):
    return {name: _value(getattr(obj, name)) for name in names}


def scheme_export(*, scheme):
    """The whole scheme as a JSON-ready dict (see the module docstring for the format)."""
    data = _fields(scheme, SCHEME_FIELDS)
    data["approvers"] = [_fields(approver, APPROVER_FIELDS) for approver in scheme.approvers.all()]
    data["units"] = [
        {
            **_fields(unit, UNIT_FIELDS),
            "elements": [
                {
                    **_fields(element, ELEMENT_FIELDS),
                    "criteria": [_fields(criterion, CRITERION_FIELDS) for criterion in element.criteria.all()],
                }
                for element in unit.elements.all()
            ],
        }
        for unit in scheme.units.all()
    ]
    data["prerequisite_conditions"] = [
        _fields(condition, CONDITION_FIELDS) for condition in scheme.prerequisite_conditions.all()
    ]
    data["prerequisite_alternatives"] = [
        {
            **_fields(alternative, ALTERNATIVE_FIELDS),
            "conditions": [condition.clause for condition in alternative.conditions.order_by("order", "id")],
        }
        for alternative in scheme.prerequisite_alternatives.all()
    ]
    data["required_documents"] = [
        {
            **_fields(document, DOCUMENT_FIELDS),
            "alternatives": [alternative.code for alternative in document.alternatives.order_by("order", "id")],
        }
        for document in scheme.required_documents.all()
    ]
    data["clauses"] = [_fields(clause, CLAUSE_FIELDS) for clause in scheme.clauses.all()]
    policy = _sanction_policy_model().objects.filter(scheme=scheme).first()
    if policy is not None:
        data["sanction_policy"] = _fields(policy, SANCTION_POLICY_FIELDS)
    return {"format": FORMAT, "version": VERSION, "scheme": data}


def scheme_export_json(*, scheme):
    """The export as UTF-8 text; Indonesian text stays readable in the file."""
    return json.dumps(scheme_export(scheme=scheme), ensure_ascii=False, indent=2) + "\n"


# --- import -------------------------------------------------------------------------------


def scheme_file_parse(content):
    """Bytes or text of an uploaded file → the dict ``scheme_import`` takes."""
    try:
        if isinstance(content, bytes):
            content = content.decode("utf-8-sig")
        return json.loads(content)
    except (UnicodeDecodeError, ValueError) as error:
        raise SchemeImportError([_("The file is not valid UTF-8 JSON (%(error)s).") % {"error": error}]) from error


class _Problems(list):
    def add(self, where, message):
        self.append(f"{where}: {message}" if where else str(message))

    def add_validation_error(self, where, error):
        # Fields are named by their key in the file: the reader of this message is fixing a file.
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add(f"{where} ({field})" if field != "__all__" else where, message)
        else:
            for message in error.messages:
                self.add(where, message)


def _list(raw, key, where, problems):
    value = raw.get(key, []) if isinstance(raw, dict) else []
    if not isinstance(value, list):
        problems.add(where, _("“%(key)s” must be a list.") % {"key": key})
        return []
    return value


def _build(model, names, raw, where, problems, *, nested=(), **fixed):
    """An unsaved, validated instance from one object of the file, or None."""
    if not isinstance(raw, dict):
        problems.add(where, _("must be an object."))
        return None
    unknown = sorted(set(raw) - set(names) - set(nested))
    if unknown:
        problems.add(where, _("unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    instance = model(**fixed)
    for name in names:
        if name not in raw:
            continue
        field = model._meta.get_field(name)
        value = raw[name]
        if isinstance(field, models.CharField | models.TextField) and not isinstance(value, str):
            problems.add(f"{where} ({name})", _("must be text."))
            continue
        if isinstance(field, models.BooleanField) and not isinstance(value, bool):
            problems.add(f"{where} ({name})", _("must be true or false."))
            continue
        if isinstance(field, models.IntegerField) and (isinstance(value, bool) or not isinstance(value, int)):
            problems.add(f"{where} ({name})", _("must be a whole number."))
            continue
        setattr(instance, field.attname, value)
    # The same field validators and choices as the admin. Uniqueness within the file and the
    # links between objects (alternative → condition, document → alternative) are checked by _plan.
    exclude = [field.name for field in model._meta.fields if field.is_relation]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems.add_validation_error(where, error)
    return instance


def _free_slug(wanted, name):
    base = slugify(wanted or name)[:100] or "skema"
    slug, n = base, 2
    while Scheme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _plan(data):
    """Check the whole file and return what to write; raise with every problem found."""
    problems = _Problems()
    if not isinstance(data, dict):
        raise SchemeImportError([_("The file must hold one JSON object.")])
    if data.get("format") != FORMAT:
        raise SchemeImportError([_("This is not a scheme file (format “%(format)s” expected).") % {"format": FORMAT}])
    if data.get("version") != VERSION:
        raise SchemeImportError(
            [_("Unsupported scheme file version; version %(version)s expected.") % {"version": VERSION}]
        )
    raw = data.get("scheme")
    if not isinstance(raw, dict):
        raise SchemeImportError([_("The file has no “scheme” object.")])

    children = (
        "approvers",
        "units",
        "prerequisite_conditions",
        "prerequisite_alternatives",
        "required_documents",
        "clauses",
        "sanction_policy",
    )
    document_number = raw.get("document_number")
    if isinstance(document_number, str) and Scheme.objects.filter(document_number=document_number).exists():
        raise DuplicateScheme(
            [_("a scheme with document number %(number)s already exists here.") % {"number": document_number}]
        )
    # The slug only names the web page: a taken one (another scheme of the same name) gets a suffix.
    wanted_slug = raw.get("slug") if isinstance(raw.get("slug"), str) else ""
    name = raw.get("name") if isinstance(raw.get("name"), str) else ""
    raw_scheme = {**raw, "slug": _free_slug(wanted_slug, name)}
    scheme = _build(Scheme, SCHEME_FIELDS, raw_scheme, str(_("scheme")), problems, nested=children)

    plan = {
        "scheme": scheme,
        "approvers": [],
        "units": [],
        "conditions": [],
        "alternatives": [],
        "documents": [],
        "clauses": [],
        "sanction_policy": None,
    }
    for i, item in enumerate(_list(raw, "approvers", _("scheme"), problems), 1):
        plan["approvers"].append(
            _build(SchemeApprover, APPROVER_FIELDS, item, _("approver %(n)s") % {"n": i}, problems, order=i)
        )

    codes = set()
    for i, item in enumerate(_list(raw, "units", _("scheme"), problems), 1):
        where = _("unit %(n)s") % {"n": i}
        unit = _build(Unit, UNIT_FIELDS, item, where, problems, nested=("elements",), order=i)
        elements = []
        if unit is not None:
            if unit.code in codes:
                problems.add(where, _("the unit code %(code)s appears twice.") % {"code": unit.code})
            codes.add(unit.code)
            for j, raw_element in enumerate(_list(item, "elements", where, problems), 1):
                element_where = _("unit %(n)s, element %(m)s") % {"n": i, "m": j}
                element = _build(
                    Element, ELEMENT_FIELDS, raw_element, element_where, problems, nested=("criteria",), order=j
                )
                criteria = [
                    _build(
                        PerformanceCriterion,
                        CRITERION_FIELDS,
                        raw_criterion,
                        _("unit %(n)s, element %(m)s, criterion %(k)s") % {"n": i, "m": j, "k": k},
                        problems,
                        order=k,
                    )
                    for k, raw_criterion in enumerate(_list(raw_element, "criteria", element_where, problems), 1)
                ]
                elements.append((element, criteria))
        plan["units"].append((unit, elements))

    clauses = {}
    for i, item in enumerate(_list(raw, "prerequisite_conditions", _("scheme"), problems), 1):
        where = _("prerequisite condition %(n)s") % {"n": i}
        condition = _build(PrerequisiteCondition, CONDITION_FIELDS, item, where, problems, order=i)
        if condition is not None:
            if condition.clause in clauses:
                problems.add(where, _("the clause %(clause)s appears twice.") % {"clause": condition.clause})
            clauses[condition.clause] = condition
        plan["conditions"].append(condition)

    alternative_codes = set()
    for i, item in enumerate(_list(raw, "prerequisite_alternatives", _("scheme"), problems), 1):
        where = _("prerequisite alternative %(n)s") % {"n": i}
        alternative = _build(
            PrerequisiteAlternative, ALTERNATIVE_FIELDS, item, where, problems, nested=("conditions",), order=i
        )
        wanted = _list(item, "conditions", where, problems)
        if alternative is not None:
            if alternative.code in alternative_codes:
                problems.add(where, _("the code %(code)s appears twice.") % {"code": alternative.code})
            alternative_codes.add(alternative.code)
            if not wanted:
                problems.add(where, _("an alternative needs at least one condition."))
            for clause in wanted:
                if clause not in clauses:
                    problems.add(where, _("no prerequisite condition has the clause %(clause)s.") % {"clause": clause})
        plan["alternatives"].append((alternative, wanted))

    for i, item in enumerate(_list(raw, "required_documents", _("scheme"), problems), 1):
        where = _("required document %(n)s") % {"n": i}
        document = _build(RequiredDocument, DOCUMENT_FIELDS, item, where, problems, nested=("alternatives",), order=i)
        wanted = _list(item, "alternatives", where, problems)
        for code in wanted:
            if code not in alternative_codes:
                problems.add(where, _("no prerequisite alternative has the code %(code)s.") % {"code": code})
        plan["documents"].append((document, wanted))

    for i, item in enumerate(_list(raw, "clauses", _("scheme"), problems), 1):
        plan["clauses"].append(
            _build(SchemeClause, CLAUSE_FIELDS, item, _("clause %(n)s") % {"n": i}, problems, order=i)
        )

    if raw.get("sanction_policy") is not None:
        plan["sanction_policy"] = _build(
            _sanction_policy_model(), SANCTION_POLICY_FIELDS, raw["sanction_policy"], _("sanction policy"), problems
        )

    if scheme is not None and scheme.status == Scheme.Status.ACTIVE:
        for problem in active_scheme_problems(
            unit_count=len(plan["units"]), alternative_count=len(plan["alternatives"])
        ):
            problems.add("", problem)
    if problems:
        raise SchemeImportError(problems)
    return plan


def scheme_import(*, data, actor=None):
    """Create a scheme from an exported file's dict. All or nothing; an existing document number is refused."""
    plan = _plan(data)
    with transaction.atomic():
        scheme = plan["scheme"]
        try:
            with transaction.atomic():
                scheme.save()
        except IntegrityError:
            # Two imports of one file at the same moment: the unique document number lets one through.
            if Scheme.objects.filter(document_number=scheme.document_number).exists():
                raise DuplicateScheme(
                    [
                        _("a scheme with document number %(number)s already exists here.")
                        % {"number": scheme.document_number}
                    ]
                ) from None
            raise
        for approver in plan["approvers"]:
            approver.scheme = scheme
            approver.save()
        for unit, elements in plan["units"]:
            unit.scheme = scheme
            unit.save()
            for element, criteria in elements:
                element.unit = unit
                element.save()
                for criterion in criteria:
                    criterion.element = element
                    criterion.save()
        conditions = {}
        for condition in plan["conditions"]:
            condition.scheme = scheme
            condition.save()
            conditions[condition.clause] = condition
        alternatives = {}
        for alternative, wanted in plan["alternatives"]:
            alternative.scheme = scheme
            alternative.save()
            alternative.conditions.set([conditions[clause] for clause in wanted])
            alternatives[alternative.code] = alternative
        for document, wanted in plan["documents"]:
            document.scheme = scheme
            document.save()
            document.alternatives.set([alternatives[code] for code in wanted])
        for clause in plan["clauses"]:
            clause.scheme = scheme
        SchemeClause.objects.bulk_create(plan["clauses"])
        policy = plan["sanction_policy"]
        if policy is not None:
            policy.scheme = scheme
            policy.save()
        audit_record(
            actor=actor,
            action="scheme.imported",
            obj=scheme,
            to_state=scheme.status,
            data={
                "document_number": scheme.document_number,
                "units": len(plan["units"]),
                "sanction_policy": None if policy is None else _fields(policy, SANCTION_POLICY_FIELDS),
            },
        )
    return scheme
