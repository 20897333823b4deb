"""Gap-free numbers from a locked counter, inside the caller's transaction."""

from django.db import transaction

from .models import Counter


def counter_next(series):
    """The next number of ``series``. Must run inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next() must be called inside transaction.atomic()")
    Counter.objects.get_or_create(series=series)
    counter = Counter.objects.select_for_update().get(series=series)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
