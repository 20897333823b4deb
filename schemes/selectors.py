"""Reads of schemes: the public catalogue, one scheme laid out for its page, lookups for commands."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from .models import (
    Element,
    PrerequisiteAlternative,
    RequiredDocument,
    Scheme,
    SchemeClause,
    Unit,
)


def scheme_public_queryset():
    """Schemes the public may see: only active ones (draft and retired answer 404)."""
    return Scheme.objects.filter(status=Scheme.Status.ACTIVE)


def scheme_list_public():
    return scheme_public_queryset().annotate(unit_count=Count("units")).order_by("name", "document_number")


def scheme_get_by_reference(*, reference):
    """A scheme by slug or document number (for the export command), or None."""
    return Scheme.objects.filter(Q(slug=reference) | Q(document_number=reference)).first()


def scheme_documents_for_alternative(*, alternative):
    """The documents (9.1.2) an applicant on this prerequisite path must attach."""
    return RequiredDocument.objects.filter(
        Q(scheme_id=alternative.scheme_id) & (Q(for_all_applicants=True) | Q(alternatives=alternative))
    ).distinct()


def scheme_suspension_grounds(*, scheme):
    """The grounds a suspension or revocation can cite (9.5); a sanction points at one of them."""
    return SchemeClause.objects.filter(scheme=scheme, kind=SchemeClause.Kind.SUSPENSION_GROUND)


def scheme_use_rules(*, scheme):
    """The rules a holder signs up to before the certificate is handed over (9.8)."""
    return SchemeClause.objects.filter(scheme=scheme, kind=SchemeClause.Kind.USE_RULE)


def scheme_ethics_items(*, scheme):
    """The code of ethics items a holder agrees to (7.2.4, 9.10), without introduction and closing paragraphs."""
    return SchemeClause.objects.filter(scheme=scheme, kind=SchemeClause.Kind.ETHICS).exclude(clause="")


@dataclass
class ProcessStep:
    """One numbered step of section 9 (9.1 … 9.9) with its items in document order."""

    heading: SchemeClause | None
    items: list = field(default_factory=list)


@dataclass
class ClauseGroup:
    """Consecutive items under one section heading (e.g. "Catur Karsa")."""

    heading: str
    heading_en: str
    items: list = field(default_factory=list)


@dataclass
class SchemePage:
    """Everything the catalogue page and its PDF show, fetched once."""

    scheme: Scheme
    units: list
    alternatives: list
    documents_for_all: list
    documents_by_alternative: list  # [(alternative, [documents])]
    clauses: dict  # kind → [clause]
    process_steps: list
    ethics_groups: list
    ethics_paragraphs_before: list
    ethics_paragraphs_after: list
    approvers: list


def _process_steps(clauses):
    steps = []
    for clause in clauses:
        is_step_heading = clause.clause.count(".") == 1 and clause.kind == SchemeClause.Kind.PROCESS
        if is_step_heading or not steps:
            steps.append(ProcessStep(heading=clause if is_step_heading else None))
            if is_step_heading:
                continue
        steps[-1].items.append(clause)
    return steps


def _ethics(clauses):
    before, groups, after = [], [], []
    for clause in clauses:
        if clause.is_paragraph:
            (after if groups else before).append(clause)
            continue
        if not groups or groups[-1].heading != clause.heading:
            groups.append(ClauseGroup(heading=clause.heading, heading_en=clause.heading_en))
        groups[-1].items.append(clause)
    return before, groups, after


def scheme_page(*, scheme):
    """The scheme laid out in the order an applicant reads it."""
    units = list(
        Unit.objects.filter(scheme=scheme).prefetch_related(
            Prefetch("elements", queryset=Element.objects.prefetch_related("criteria"))
        )
    )
    alternatives = list(
        PrerequisiteAlternative.objects.filter(scheme=scheme).prefetch_related("conditions", "required_documents")
    )
    documents = list(RequiredDocument.objects.filter(scheme=scheme).prefetch_related("alternatives"))
    by_alternative = [
        (alternative, [d for d in documents if not d.for_all_applicants and alternative in d.alternatives.all()])
        for alternative in alternatives
    ]
    # The process item "9.1.2" lists its documents "9.1.2.a" … as the document does: one line
    # per item, even where one item was split into documents for different alternatives.
    items_by_parent = {}
    for document in documents:
        parent = document.clause.rsplit(".", 1)[0] if "." in document.clause else document.clause
        items = items_by_parent.setdefault(parent, {})
        items.setdefault(document.clause, document)

    all_clauses = list(SchemeClause.objects.filter(scheme=scheme))
    for clause in all_clauses:
        clause.documents = list(items_by_parent.get(clause.clause, {}).values()) if clause.clause else []
    clauses = {kind: [c for c in all_clauses if c.kind == kind] for kind in SchemeClause.Kind.values}
    process = [c for c in all_clauses if c.kind in SchemeClause.PROCESS_KINDS]
    before, groups, after = _ethics(clauses[SchemeClause.Kind.ETHICS])
    return SchemePage(
        scheme=scheme,
        units=units,
        alternatives=alternatives,
        documents_for_all=[d for d in documents if d.for_all_applicants],
        documents_by_alternative=by_alternative,
        clauses=clauses,
        process_steps=_process_steps(process),
        ethics_groups=groups,
        ethics_paragraphs_before=before,
        ethics_paragraphs_after=after,
        approvers=list(scheme.approvers.all()),
    )
