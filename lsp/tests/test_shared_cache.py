"""The cache every process reads (DJANGO_SHARED_CACHE_URL): keys that change with the release, and sessions.

The pages it keeps are tested where they are served (certificates/tests/test_verification_shared.py,
applicants/tests/test_queue_shared.py). The Redis test runs in the PostgreSQL + Redis run of .ci/run.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client
from django.urls import reverse

from lsp import pagecache

from .shared_caches import needs_redis

pytestmark = pytest.mark.django_db


def test_the_release_is_part_of_every_key(rf, monkeypatch):
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    before = pagecache.page_key(request, "certificates")
    monkeypatch.setattr(pagecache, "release", lambda: "the-next-release")
    assert pagecache.page_key(request, "certificates") != before


def test_the_release_is_the_same_in_every_process_and_changes_with_a_template(settings, tmp_path):
    try:
        before = pagecache.release()
        pagecache.release.cache_clear()
        assert pagecache.release() == before  # the same files give the same release
        template = tmp_path / "templates" / "page.html"
        template.parent.mkdir()
        template.write_text("one")
        settings.BASE_DIR = tmp_path  # the project's apps lie outside it: only this template counts
        pagecache.release.cache_clear()
        first = pagecache.release()
        template.write_text("two")
        pagecache.release.cache_clear()
        assert pagecache.release() != first
    finally:
        pagecache.release.cache_clear()


def test_the_release_reads_the_projects_files_and_no_installed_library():
    import sys
    from pathlib import Path

    from django.conf import settings

    files = pagecache.release_files()
    base = Path(settings.BASE_DIR).resolve()
    assert Path(pagecache.__file__).resolve() in {path.resolve() for path in files}
    assert (base / "templates" / "base.html").resolve() in {path.resolve() for path in files}
    assert not [path for path in files if path.resolve().is_relative_to(Path(sys.prefix).resolve())]
    assert {path.resolve().relative_to(base).parts[0] for path in files} == {
        "applicants", "assessments", "certificates", "locale", "lsp", "schemes", "templates"
    }


@needs_redis
@pytest.mark.parametrize("cached_where", ["shared", "default"])
def test_redis_sessions_a_logout_holds_in_every_process(settings, make_user, cached_where):
    """As DJANGO_SHARED_CACHE_URL sets them (lsp/tests/test_project.py): sessions cached in the shared cache, so
    a session ended by a logout is refused everywhere, even replayed with its old cookie. Cached in each
    process's own memory instead, it would live on in the other processes."""
    from .shared_caches import shared_redis_cache

    shared = shared_redis_cache()

    def in_process(name):  # each process has its own "default" cache, and all of them the same "shared" one
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"{name}-{shared['KEY_PREFIX']}"},
            "shared": shared,
        }

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = cached_where
    in_process("a")
    browser = Client()
    browser.force_login(make_user("applicant", full_name="Sesi Bersama"))
    home = reverse("home")
    in_process("b")
    assert "Sesi Bersama" in browser.get(home).content.decode()
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    in_process("a")
    browser.post(reverse("logout"))
    browser.cookies[settings.SESSION_COOKIE_NAME] = cookie  # the old cookie, replayed
    in_process("b")
    still_signed_in = "Sesi Bersama" in browser.get(home).content.decode()
    assert still_signed_in is (cached_where == "default")
