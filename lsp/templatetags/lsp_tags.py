from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def format_rupiah(value):
    """``2000000`` → ``Rp 2.000.000`` (Indonesian grouping, no decimals for whole Rupiah)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    decimals = 0 if amount == amount.to_integral_value() else 2
    digits = f"{abs(amount):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{'-' if amount < 0 else ''}Rp {digits}"


register.filter("rupiah", format_rupiah)


@register.filter
def thousands(value):
    return number_format(value, force_grouping=True)
