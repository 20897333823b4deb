"""Template helpers for scheme content stored in Indonesian with an optional English copy."""

from django import template
from django.utils import translation

from ..models import strip_connector

register = template.Library()


def localized(obj, field):
    """``obj.<field>_en`` when the active language is English and it is filled in, else ``obj.<field>``.

    The scheme documents are Indonesian; English copies are optional, so the catalogue
    never shows an empty line where only the Indonesian wording exists.
    """
    if obj is None:
        return ""
    if (translation.get_language() or "").split("-")[0] == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


register.filter("tr", localized)


@register.filter
def item_label(clause):
    """ "9.1.2.b" → "b", "9.4.1.a" → "a"; a numbered clause stays as it is."""
    last = (clause or "").rsplit(".", 1)[-1]
    return last if last.isalpha() else clause


@register.filter
def without_connector(text):
    """Drop a trailing "…, atau" / "…; dan": the page already says "and"/"or" between items."""
    return strip_connector(text or "")


@register.filter
def is_sub_item(clause):
    """True for lettered sub-items such as "9.4.1.a" (shown indented under their clause)."""
    return "." in (clause or "") and (clause or "").rsplit(".", 1)[-1].isalpha()


@register.filter
def anchor(clause):
    """ "9.9" → "9-9", for in-page links to a process step."""
    return (clause or "").replace(".", "-")


@register.filter
def clause_label(clause):
    """A bare letter item is shown as in the document ("a."); a number stays as it is."""
    return f"{clause}." if clause and clause.isalpha() else clause
