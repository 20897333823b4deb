"""A per-IP request budget for the public verification page, kept in Django's cache.

Numbers from settings: CERTIFICATE_VERIFY_RATE_LIMIT requests per CERTIFICATE_VERIFY_RATE_WINDOW
seconds (defaults 30 per 60 s). The counter lives in a fixed window keyed by its start.
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    # REMOTE_ADDR only: X-Forwarded-For is set by the client and would let anyone pick their own bucket.
    return request.META.get("REMOTE_ADDR") or "unknown"


def over_limit(request, scope="verify"):
    """Count this request; True once the IP has used up its budget for the current window."""
    limit = getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30)
    window = getattr(settings, "CERTIFICATE_VERIFY_RATE_WINDOW", 60)
    start = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_ip(request)}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit
