"""The scheme as an application sees it: live while a draft, frozen once submitted.

``snapshot_build`` copies what a submitted application must keep (fee, units and
elements, the chosen prerequisite alternative with its conditions, the 9.1.2 documents
it needs). ``application_scheme`` returns that snapshot for a submitted application, or
the same shape built from the live scheme for a draft, so templates, services and PDFs
read one structure either way.
"""

from django.utils import timezone
from django.utils.translation import get_language

from schemes.models import Unit
from schemes.selectors import scheme_documents_for_alternative

SNAPSHOT_VERSION = 1


def _units(scheme):
    units = []
    for unit in Unit.objects.filter(scheme=scheme).prefetch_related("elements__criteria"):
        units.append(
            {
                "code": unit.code,
                "title": unit.title,
                "title_en": unit.title_en,
                "standard_type": unit.standard_type,
                "elements": [
                    {
                        "index": index,
                        "title": element.title,
                        "title_en": element.title_en,
                        "criteria": [criterion.text for criterion in element.criteria.all()],
                    }
                    for index, element in enumerate(unit.elements.all(), 1)
                ],
            }
        )
    return units


def _documents(scheme, alternative):
    if alternative is not None:
        documents = scheme_documents_for_alternative(alternative=alternative)
    else:
        documents = scheme.required_documents.filter(for_all_applicants=True)
    return [
        {
            "id": document.pk,
            "clause": document.clause,
            "name": document.name,
            "name_en": document.name_en,
            "description": document.description,
            "description_en": document.description_en,
            "quantity": document.quantity,
            "photo_size": document.photo_size,
            "photo_background": document.photo_background,
            "for_all_applicants": document.for_all_applicants,
        }
        for document in documents.order_by("order", "id")
    ]


def _alternative(alternative):
    if alternative is None:
        return None
    return {
        "id": alternative.pk,
        "code": alternative.code,
        "label": alternative.label,
        "label_en": alternative.label_en,
        "conditions": [
            {"clause": condition.clause, "text": condition.display_text, "text_en": condition.display_text_en}
            for condition in alternative.conditions.order_by("order", "id")
        ],
    }


def snapshot_build(*, scheme, alternative):
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": timezone.now().isoformat(),
        "scheme": {
            "id": scheme.pk,
            "document_number": scheme.document_number,
            "slug": scheme.slug,
            "name": scheme.name,
            "name_en": scheme.name_en,
            "scheme_type": scheme.scheme_type,
            "lsp_name": scheme.lsp_name,
            "fee": str(scheme.fee),
            "fee_text": scheme.fee_text,
        },
        "units": _units(scheme),
        "alternative": _alternative(alternative),
        "required_documents": _documents(scheme, alternative),
    }


def application_scheme(application):
    """The snapshot of a submitted application; the live scheme, in the same shape, for a draft."""
    if application.snapshot:
        return application.snapshot
    return snapshot_build(scheme=application.scheme, alternative=application.alternative)


def assessment_items(scheme_data):
    """APL-02 questions: one per element, or one per unit that has no elements."""
    items = []
    for unit in scheme_data["units"]:
        if unit["elements"]:
            for element in unit["elements"]:
                items.append({"unit": unit, "element": element, "key": (unit["code"], element["index"])})
        else:
            items.append({"unit": unit, "element": None, "key": (unit["code"], 0)})
    return items


def localized(item, field):
    """``field + "_en"`` in English when it is filled in, else the Indonesian wording.

    ``item`` is a snapshot entry (a dict) or a model instance of the schemes app.
    """
    if item is None:
        return ""
    get = item.get if isinstance(item, dict) else lambda name, default="": getattr(item, name, default)
    if (get_language() or "").startswith("en") and get(f"{field}_en", ""):
        return get(f"{field}_en", "")
    return get(field, "")
