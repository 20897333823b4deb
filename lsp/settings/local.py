"""A developer's laptop: debug on, a fixed local-only key when none is given."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# For local use only; production.py refuses to start without a real key.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-never-use-in-production")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
