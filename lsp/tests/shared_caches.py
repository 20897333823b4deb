"""Cache settings for the tests of the shared cache (DJANGO_SHARED_CACHE_URL): this process's own, and a shared one."""

import os
import uuid
from urllib.parse import urlsplit

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL; .ci/run provides it in its second run")


def caches_with_shared(shared):
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"own-{uuid.uuid4()}"},
        "shared": shared,
    }


def shared_redis_cache():
    """On database 3 of REDIS_URL's server (apart from the Celery broker's), under a prefix of its own, as the
    parallel test processes share it. Never cleared (that would empty the database under the others): every
    page expires by itself (lsp.pagecache.TIMEOUT)."""
    location = urlsplit(REDIS_URL)._replace(path="/3").geturl()
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location, "KEY_PREFIX": uuid.uuid4().hex}
