"""SQL queries per list page with 10 rows, then with 10,000 rows behind it (its own database).

Every list page is requested in-process with Django's test Client (staff pages logged in as
staff), once to warm up and once under CaptureQueriesContext, with the cache emptied between
the two so that a public page is rendered, not served from its shared copy. The rows are made first so
that each page's queryset holds about 10 rows, then topped up to about 10,000; a page whose
count grows with its rows has an N+1 query. Run as ``python -m bench.querycounts``.
"""

import datetime
import os
import time

from .common import django_setup, say, write_result

SMALL, LARGE = 10, int(os.environ.get("BENCH_QC_LARGE", 10_000))


def main():
    django_setup()
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from applicants.models import Application
    from applicants.selectors import review_queue
    from assessments.models import Assessor, Schedule, Tuk
    from certificates.models import Certificate, DecisionLetter, TechnicalMeeting
    from schemes.selectors import scheme_list_public

    from .datagen import Generator

    gen = Generator(seed=17)
    gen.base(tuks=SMALL, assessors=SMALL)
    tmi = gen.schemes[0]
    first_certificate = {}

    def queue_rows():
        return review_queue(scheme=tmi, status=Application.Status.ACCEPTED).count()

    def verify_number_url():
        return reverse("verify:search") + "?" + _query(number=first_certificate["number"])

    # (label, url, anonymous?, rows of the page's queryset, how to add n rows)
    pages = [
        (
            "catalogue (schemes:list)",
            lambda: reverse("schemes:list"),
            True,
            lambda: scheme_list_public().count(),
            gen.schemes_extra,
        ),
        (
            "staff application list (scheme + status filter)",
            lambda: reverse("applicants:review-queue") + f"?scheme={tmi.pk}&status=accepted",
            False,
            queue_rows,
            lambda n: gen.pipeline(n, status=Application.Status.ACCEPTED, scheme=tmi),
        ),
        (
            "staff certificate list",
            lambda: reverse("certificates:certificate-list"),
            False,
            lambda: Certificate.objects.count(),
            lambda n: gen.granted_chain(n),
        ),
        (
            "SK list",
            lambda: reverse("certificates:letter-list"),
            False,
            lambda: DecisionLetter.objects.count(),
            lambda n: gen.meetings(_days(gen, n)),
        ),
        (
            "technical meeting list",
            lambda: reverse("certificates:meeting-list"),
            False,
            lambda: TechnicalMeeting.objects.count(),
            lambda n: gen.meetings(_days(gen, n)),
        ),
        ("TUK list", lambda: reverse("assessments:tuk-list"), False, lambda: Tuk.objects.count(), gen.tuks),
        (
            "schedule list (all)",
            lambda: reverse("assessments:schedule-list") + "?all=1",
            False,
            lambda: Schedule.objects.count(),
            lambda n: gen.schedules(_schedule_groups(gen, n)),
        ),
        (
            "assessor list",
            lambda: reverse("assessments:assessor-list"),
            False,
            lambda: Assessor.objects.count(),
            gen.assessors,
        ),
        (
            "verification by number (one row; table grows)",
            verify_number_url,
            True,
            lambda: Certificate.objects.count(),
            None,
        ),
        (
            "verification by code (one row; table grows)",
            lambda: reverse("verify:code", args=[first_certificate["code"]]),
            True,
            lambda: Certificate.objects.count(),
            None,
        ),
    ]

    def top_up(target):
        started = time.perf_counter()
        with transaction.atomic():
            for _label, _url, _anonymous, rows, add in pages:
                if add is not None and rows() < target:
                    add(target - rows())
            gen.save_counters()
        if not first_certificate:
            certificate = Certificate.objects.order_by("pk").first()
            first_certificate.update(number=certificate.number, code=certificate.verification_code)
        say(f"query counts: rows topped up to {target} in {time.perf_counter() - started:.1f} s")

    staff = Client()
    staff.force_login(gen.staff, backend="django.contrib.auth.backends.ModelBackend")
    public = Client()

    def measure():
        measured = {}
        for label, url, anonymous, rows, _add in pages:
            client = public if anonymous else staff
            path = url()
            client.get(path)  # warm: session, content types, template caches
            # Count the queries of a page rendered from the database, not of the shared copy that
            # lsp.pagecache keeps of a public page (that one takes none).
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - start
            measured[label] = {
                "path": path,
                "status": response.status_code,
                "rows": rows(),
                "queries": len(captured.captured_queries),
                "ms": round(elapsed * 1000, 1),
                "sql": [q["sql"][:300] for q in captured.captured_queries],
            }
        return measured

    top_up(SMALL)
    small = measure()
    top_up(LARGE)
    large = measure()
    result = []
    for label, *_rest in pages:
        s, big = small[label], large[label]
        result.append(
            {
                "page": label,
                "path_small": s["path"],
                "status_small": s["status"],
                "status_large": big["status"],
                "rows_small": s["rows"],
                "rows_large": big["rows"],
                "queries_small": s["queries"],
                "queries_large": big["queries"],
                "ms_small": s["ms"],
                "ms_large": big["ms"],
                "equal": s["queries"] == big["queries"] and s["status"] == big["status"] == 200,
                "sql_large": big["sql"],
            }
        )
        say(f"  {label}: {s['queries']} queries at {s['rows']} rows, {big['queries']} at {big['rows']} rows")
    write_result("querycounts", {"pages": result, "database": connection.vendor})


def _query(**params):
    from urllib.parse import urlencode

    return urlencode(params)


def _days(gen, n):
    """``n`` meeting dates over the last six years."""
    start = gen.today - datetime.timedelta(days=6 * 365)
    return sorted(start + datetime.timedelta(days=gen.rng.randint(0, 6 * 365 - 5)) for _i in range(n))


def _schedule_groups(gen, n):
    return [
        (gen.pick_scheme(), gen.today + datetime.timedelta(days=gen.rng.randint(-700, 60)), gen.rng.randint(5, 25))
        for _i in range(n)
    ]


if __name__ == "__main__":
    main()
