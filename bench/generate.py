"""The measured dataset: certificates with their chain, then applications in every status.

Run as ``python -m bench.generate``; sizes from BENCH_CERTIFICATES and BENCH_APPLICATIONS
(default 100,000 each). On PostgreSQL the tables are vacuumed and analysed afterwards, as
autovacuum does shortly after a bulk load (statistics for the planner, the visibility map for
index-only scans).
"""

import os
import time

from .common import django_setup, say, write_result


def main():
    django_setup()
    from django.db import connection
    from django.db.models import Count

    from applicants.models import Application, Invoice
    from certificates.models import Certificate

    from .datagen import Generator

    n_certificates = int(os.environ.get("BENCH_CERTIFICATES", 100_000))
    n_applications = int(os.environ.get("BENCH_APPLICATIONS", 100_000))
    started = time.perf_counter()
    gen = Generator()
    gen.base()
    step = 20_000  # one transaction per slice keeps memory flat
    for done in range(0, n_certificates, step):
        gen.certificates(min(step, n_certificates - done))
        say(f"generate: {min(done + step, n_certificates):,} certificates ({time.perf_counter() - started:.0f} s)")
    for done in range(0, n_applications, step):
        gen.applications(min(step, n_applications - done))
        say(f"generate: {min(done + step, n_applications):,} applications ({time.perf_counter() - started:.0f} s)")
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    result = {
        "seconds": round(generated, 1),
        "seconds_with_analyze": round(time.perf_counter() - started, 1),
        "certificates": Certificate.objects.count(),
        "applications": Application.objects.count(),
        "invoices": Invoice.objects.count(),
        "certificate_status": dict(Certificate.objects.values_list("status").annotate(n=Count("pk"))),
        "application_status": dict(Application.objects.values_list("status").annotate(n=Count("pk"))),
        "application_scheme": dict(Application.objects.values_list("scheme__slug").annotate(n=Count("pk"))),
        "database": connection.vendor,
    }
    say(
        f"generate: done in {generated:.0f} s: {result['certificates']:,} certificates, {result['applications']:,} applications"
    )
    write_result("generate", result)


if __name__ == "__main__":
    main()
