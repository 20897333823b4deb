"""Settings of the benchmark only: the production settings, with what a benchmark on 127.0.0.1 needs.

Never used to serve the portal. Differences from production, each because the benchmark
needs it: a fixed secret key and host, no HTTPS redirect (plain HTTP on 127.0.0.1), plain
static storage (no collectstatic manifest), MD5 password hashing (fast logins), its own
database (BENCH_DATABASE_URL, default a SQLite file under bench/out/), its own private
storage, no mail, and a verification rate limit the load tool cannot exhaust (the limiter
still runs on every request, so its cost is measured).
"""

import os
from pathlib import Path

import environ

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = Path(os.environ.get("BENCH_OUT_DIR", BENCH_DIR / "out"))

# production.py refuses to import without these; set them for this process only.
BENCH_SECRET_KEY = "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-not-for-production"
os.environ["DJANGO_SECRET_KEY"] = BENCH_SECRET_KEY
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ.pop("DJANGO_DEBUG", None)

from lsp.settings.production import *  # noqa: E402, F403
from lsp.settings.production import LOGGING, STORAGES  # noqa: E402

DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]  # testserver: the in-process test Client of the query counts
ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

DATABASES = {
    "default": environ.Env.db_url_config(
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{OUT_DIR / 'bench.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# As production (lsp/settings/base.py: DJANGO_CONN_MAX_AGE, default 60 s) unless BENCH_CONN_MAX_AGE
# is given (0: a new connection per request, to measure what persistent connections save).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20  # as lsp/settings/base.py

STATIC_ROOT = OUT_DIR / "staticfiles"  # empty: pages are measured without their CSS/JS
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": OUT_DIR / "private"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks: queued to BENCH_CELERY_BROKER_URL (the bulk issuance starts real workers on Redis);
# without it they go to an in-memory queue that nothing reads, so side effects (PDFs, mail)
# of an in-process step are queued as in production but not run in that process.
CELERY_BROKER_URL = os.environ.get("BENCH_CELERY_BROKER_URL", "memory://localhost/")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = "bench"

CERTIFICATE_VERIFY_RATE_LIMIT = 10**9
PORTAL_URL = "http://127.0.0.1:8000"

LOGGING = {
    **LOGGING,
    "root": {"handlers": ["console"], "level": "WARNING"},
}
