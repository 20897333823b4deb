import pytest
from django.db import transaction

from lsp.models import Counter
from lsp.numbering import counter_next


@pytest.mark.django_db
def test_counter_numbers_each_series_from_one():
    with transaction.atomic():
        assert [counter_next("INV-2026") for _ in range(3)] == [1, 2, 3]
        assert counter_next("BA-2026") == 1
    assert Counter.objects.get(series="INV-2026").value == 3


@pytest.mark.django_db(transaction=True)
def test_counter_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        counter_next("INV-2026")
