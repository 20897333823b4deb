"""The test suite: fast hashing, mail kept in memory, tasks in-process by default.

A real Celery worker over Redis is exercised by the tests marked ``celery_worker``,
which run when REDIS_URL is set (see lsp/tests/test_celery_worker.py).
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Threads of the race and browser tests open their own connections; none may outlive its request
# (PostgreSQL will not drop a test database another connection still holds).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("DJANGO_PRIVATE_ROOT", default=BASE_DIR / ".test-private")},
    },
    # Hashed storage would 404 under the live server used by browser tests.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
AXES_FAILURE_LIMIT = 3
