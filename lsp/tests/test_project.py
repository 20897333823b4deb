"""Project-level guarantees: migrations complete, production settings refuse insecure values."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3y-" + "x7Qp9Lm2Zr8Tn4Vb6Wc1Yd5Hf0Js3Ka" * 2


def test_no_model_change_is_missing_a_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Missing migrations:\n{out.getvalue()}")


def _run_with_production_settings(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "lsp.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "lsp.example.id"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "lsp.example.id"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "lsp.example.id", "DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
    ],
)
def test_production_settings_refuse_insecure_values(overrides, complaint):
    result = _run_with_production_settings(overrides, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_settings_pass_check_deploy_without_warning():
    result = _run_with_production_settings(
        {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "lsp.example.id"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_settings_share_pages_and_sessions_through_the_shared_cache():
    """DJANGO_SHARED_CACHE_URL (Redis on a server): pages and sessions in a cache every process reads."""
    show = "from django.conf import settings as s; print(s.CACHES['shared']['BACKEND'], s.CACHES['shared']['LOCATION'], s.SESSION_ENGINE, s.SESSION_CACHE_ALIAS)"
    base = {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "lsp.example.id"}
    result = _run_with_production_settings({**base, "DJANGO_SHARED_CACHE_URL": "redis://127.0.0.1:6379/2"}, "shell", "--no-imports", "-c", show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/2",
        "django.contrib.sessions.backends.cached_db",
        "shared",
    ]
    without = _run_with_production_settings(base, "shell", "--no-imports", "-c", "from django.conf import settings as s; print(sorted(s.CACHES), s.SESSION_ENGINE)")
    assert without.stdout.split() == ["['default']", "django.contrib.sessions.backends.db"]
