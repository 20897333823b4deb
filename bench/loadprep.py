"""What the load test requests: a staff session, and for each page the paths wrk cycles through.

Run as ``python -m bench.loadprep`` on the measured database. Verification paths use 2,000
random certificates (by QR code, and by number through the search form) so the database is
not asked for one row over and over; the staff list cycles through its first ten pages.
"""

import random
from urllib.parse import urlencode

from .common import OUT, django_setup, write_result

SAMPLE = 2000
STAFF_LIST_PAGES = 10
RESULT = 'data-testid="verification-result"'


def main():
    django_setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from applicants.models import Application
    from applicants.selectors import review_queue
    from certificates.models import Certificate
    from schemes.models import Scheme

    from .datagen import SERIES, staff_user

    staff = staff_user()
    session = SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    rng = random.Random(5)
    ids = list(Certificate.objects.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(SAMPLE, len(ids)))
    rows = list(Certificate.objects.filter(pk__in=chosen).values_list("number", "verification_code"))
    rng.shuffle(rows)
    tmi = Scheme.objects.get(document_number=next(iter(SERIES)))
    queue_filter = {"scheme": tmi.pk, "status": Application.Status.ACCEPTED}
    queue_rows = review_queue(scheme=tmi, status=Application.Status.ACCEPTED).count()
    queue = reverse("applicants:review-queue")

    pages = [
        {
            "key": "baseline",
            "label": "baseline view (bench only)",
            "paths": [reverse("bench-baseline")],
            "marker": "ok",
        },
        {
            "key": "verify_code",
            "label": "verification by QR code",
            "target": 0.5,
            "paths": [reverse("verify:code", args=[code]) for _number, code in rows],
            "marker": RESULT,
        },
        {
            "key": "verify_number",
            "label": "verification by number (search form)",
            "target": 0.5,
            "paths": [reverse("verify:search") + "?" + urlencode({"number": number}) for number, _code in rows],
            "marker": RESULT,
        },
        {
            "key": "catalogue",
            "label": "scheme catalogue",
            "target": 0.5,
            "paths": [reverse("schemes:list")],
            "marker": 'data-testid="scheme-list"',
        },
        {
            "key": "staff_list",
            "label": f"staff application list (filter, {queue_rows:,} rows)",
            "target": 0.15,
            "paths": [
                f"{queue}?{urlencode({**queue_filter, 'page': page})}" for page in range(1, STAFF_LIST_PAGES + 1)
            ],
            "cookie": True,
            "marker": 'data-testid="queue-title"',
        },
        {
            "key": "certificate_list",
            "label": "staff certificate list (info)",
            "paths": [reverse("certificates:certificate-list")],
            "cookie": True,
            "marker": "certificate",
        },
    ]
    write_result(
        "loadprep",
        {
            "cookie": cookie,
            "pages": pages,
            "queue_rows": queue_rows,
            "out": str(OUT),
            **page_size(staff, queue, queue_filter),
        },
    )


def page_size(staff, queue, queue_filter):
    """The staff list's page size as the view serves it, and whether ``?per_page=50`` changes it."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # this process only: lets the test Client see the template context
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    sizes = {}
    for extra in ({}, {"per_page": 50}):
        response = client.get(f"{queue}?{urlencode({**queue_filter, **extra})}")
        sizes[bool(extra)] = response.context["page"].paginator.per_page
    return {"page_size": sizes[False], "per_page_50_supported": sizes[True] == 50}


if __name__ == "__main__":
    main()
