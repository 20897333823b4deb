from decimal import Decimal

import pytest
from django.template import Context, Template

from lsp.templatetags.lsp_tags import format_rupiah


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2000000, "Rp 2.000.000"),
        (Decimal("3500000.00"), "Rp 3.500.000"),
        (Decimal("1250.50"), "Rp 1.250,50"),
        (0, "Rp 0"),
        (None, ""),
    ],
)
def test_rupiah_uses_indonesian_grouping(value, shown):
    assert format_rupiah(value) == shown


def test_rupiah_filter_in_a_template():
    html = Template("{% load lsp_tags %}{{ fee|rupiah }}").render(Context({"fee": Decimal("2000000")}))
    assert html == "Rp 2.000.000"
