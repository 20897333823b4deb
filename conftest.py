"""Shared test fixtures: users with roles, logged-in clients, and the browser."""

import os
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; the ORM calls beside it are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def snap(request):
    """Save a screenshot as a test artefact: snap(page, "step-name")."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def take(page, name):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)

    return take


@pytest.fixture(autouse=True)
def _browser_test_by_daylight(request):
    """A browser test takes minutes and dates its steps "today" (a test may not be scheduled in the past):
    it runs on a clock set to 10:00 in Jakarta of the current day, flowing from there, so that midnight
    never falls inside it. The clock of this process moves (the live server's thread included); the
    browser's does not."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    import time_machine
    from django.utils import timezone

    morning = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(morning, tick=True):
        yield


@pytest.fixture
def make_user(db):
    from lsp.tests.factories import UserFactory

    def make(*roles, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def client_as(client, make_user):
    """A test client logged in as a new user holding ``roles``."""

    def login(*roles, **fields):
        user = make_user(*roles, **fields)
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The cache lives in the process, the database and the files per test: no page or count may cross over.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    # Every test gets its own private file storage, removed afterwards.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }}


@pytest.fixture(autouse=True)
def _patient_browser(request):
    """On a busy 2-core machine a page can take seconds: wait longer before calling it a failure."""
    if "page" not in request.fixturenames and "browser" not in request.fixturenames:
        yield
        return
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(60_000)
    yield


@pytest.fixture
def shared_locmem(settings):
    """A cache every process reads (DJANGO_SHARED_CACHE_URL), played by a second in-memory cache."""
    import uuid

    from lsp.tests.shared_caches import caches_with_shared

    settings.CACHES = caches_with_shared(
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"shared-{uuid.uuid4()}"}
    )


@pytest.fixture
def shared_redis(settings):
    """The shared cache on the real Redis (REDIS_URL), under a prefix of this test's own."""
    from lsp.tests.shared_caches import caches_with_shared, shared_redis_cache

    settings.CACHES = caches_with_shared(shared_redis_cache())
