"""The world of the authorisation matrix is built once per module, inside a transaction rolled back at the end,
so the database is left as the other test modules expect it."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def _private_storage(tmp_path_factory):
    """Replaces the per-test private storage of the root conftest: the world's files live for the whole module."""
    from django.conf import settings

    location = tmp_path_factory.mktemp("authz-private")
    storages = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)},
    }}
    with override_settings(STORAGES=storages):
        yield location


@pytest.fixture(scope="module")
def world_db(django_db_setup, django_db_blocker, _private_storage):
    """Database access for the whole module, in one transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


@pytest.fixture(scope="module")
def world(world_db):
    from django.utils import translation

    from .world import build_world

    with translation.override("en"):
        return build_world()
