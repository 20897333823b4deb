"""Bulk issuance of 1,000 certificates with two worker processes, measured two ways.

``prepare``: two SKs, each from one closed meeting with 1,000 "granted" decisions (rows made
like the rest of the dataset), nothing issued yet.

``celery``: the portal's own path on the first SK: ``issuance_run_start`` queues the task
``issue_certificates`` to Redis; a Celery worker with two processes (started here) runs it.
The task splits the SK into chunks of 50 decisions, one task each, so both processes issue
(numbers still come one at a time from the locked counter); the certificate PDFs and mails that
each issue queues follow behind the chunks in the queue. Throughput is
the run's ``done`` over its ``finished_at - started_at`` (both written by the service).

``split``: the second SK's decisions dealt alternately to two processes, each calling the
issuance service ``certificate_issue`` (each decision in its own transaction, numbers from the
same locked counter); the PDF and mail tasks go to a queue nothing reads. This is what the
SK would take if the work were split over both processes.

Run as ``python -m bench.issuance prepare|celery|split``.
"""

import contextlib
import datetime
import multiprocessing
import os
import signal
import subprocess
import sys
import time

from .common import OUT, ROOT, django_setup, read_result, say, write_result

SIZE = int(os.environ.get("BENCH_ISSUANCE", 1000))
PROCESSES = 2
TIMEOUT = int(os.environ.get("BENCH_ISSUANCE_TIMEOUT", 600))


def prepare():
    from .datagen import Generator

    gen = Generator(seed=99)
    gen.base()
    day = gen.today - datetime.timedelta(days=2)
    letters = []
    for _i in range(2):
        with_transaction(
            lambda: letters.extend(
                gen.granted_chain(SIZE, per_meeting=SIZE, first_day=day, last_day=day, issue=False)[1]
            )
        )
    gen.save_counters()
    write_result("issuance_prepare", {"celery_letter": letters[0].pk, "split_letter": letters[1].pk, "size": SIZE})
    say(f"issuance: two SKs with {SIZE} granted decisions each")


def with_transaction(function):
    from django.db import transaction

    with transaction.atomic():
        return function()


# --- the portal's path: issuance_run_start → Celery task on a worker with two processes ----------


def start_worker():
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "lsp",
        "worker",
        "-Q",
        "bench",
        "-c",
        str(PROCESSES),
        "-P",
        "prefork",
        "-n",
        f"bench-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "WARNING",
    ]
    if not os.path.exists(command[0]):
        command[0:1] = [sys.executable, "-m", "celery"]
    with open(_log_path(), "ab") as log:
        worker = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    (OUT / "celery-worker.pid").write_text(str(worker.pid))  # for bench/run.py, should this step be killed
    return worker


def _log_path():
    return OUT / "celery-worker.log"


def stop_worker(worker):
    """Warm shutdown (the current task finishes, unstarted ones go back to the queue), then kill."""
    if worker.poll() is None:
        os.kill(worker.pid, signal.SIGTERM)  # the main process only: it stops its pool itself
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)  # anything of its group still there
    if worker.poll() is None:
        worker.wait(timeout=10)
    (OUT / "celery-worker.pid").unlink(missing_ok=True)


def wait_for_worker(app, worker, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited ({worker.returncode}); see {_log_path()}")
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer within a minute")


def celery():
    from django.utils import timezone

    from certificates.models import Certificate, DecisionLetter, IssuanceRun
    from certificates.services import issuance_run_start
    from lsp.celery import app

    from .datagen import staff_user

    letter = DecisionLetter.objects.get(pk=read_result("issuance_prepare")["celery_letter"])
    app.control.purge()
    worker = start_worker()
    try:
        wait_for_worker(app, worker)
        queued = time.perf_counter()
        run = issuance_run_start(actor=staff_user(), letter=letter)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status == IssuanceRun.Status.FINISHED:
                break
            time.sleep(0.25)
        wall, polled_at = time.perf_counter() - queued, timezone.now()
        pdfs = Certificate.objects.filter(letter=letter, pdf_built_at__isnull=False).count()
        run.refresh_from_db()
    finally:
        stop_worker(worker)
        app.control.purge()  # the PDFs not built yet
    finished = run.status == IssuanceRun.Status.FINISHED
    # Unfinished (the time limit): the rate so far, from the run's start to now.
    end = run.finished_at if finished else polled_at
    seconds = (end - run.started_at).total_seconds() if run.started_at else None
    result = {
        "finished": finished,
        "timeout": TIMEOUT,
        "done": run.done,
        "failed": run.failed,
        "errors": run.errors[:5],
        "seconds": round(seconds, 2) if seconds else None,
        "wall_seconds": round(wall, 2),
        "per_second": round(run.done / seconds, 1) if seconds else None,
        "pdfs_built_meanwhile": pdfs,
    }
    say(f"issuance (Celery): {result}")
    write_result("issuance_celery", result)


# --- the same work split over two processes -----------------------------------------------------------


def _issue_share(decision_ids, staff_id, barrier, results):
    from django.db import connections

    from certificates.models import Decision
    from certificates.services import certificate_issue
    from lsp.models import User

    connections.close_all()  # never share the parent's connection
    staff = User.objects.get(pk=staff_id)
    decisions = list(Decision.objects.filter(pk__in=decision_ids).order_by("pk"))
    barrier.wait()
    start = time.perf_counter()
    done = failed = 0
    errors = []
    stopped = False
    for decision in decisions:
        if time.perf_counter() - start > TIMEOUT:
            stopped = True
            break
        try:
            certificate_issue(actor=staff, decision=decision)
        except Exception as error:  # counted and reported: a locked SQLite file, for one
            failed += 1
            if len(errors) < 3:
                errors.append(repr(error)[:200])
        else:
            done += 1
    connections.close_all()
    results.put(
        {
            "start": start,
            "end": time.perf_counter(),
            "done": done,
            "failed": failed,
            "errors": errors,
            "stopped": stopped,
        }
    )


def split():
    from django.db import connections

    from certificates.models import Certificate, DecisionLetter

    from .datagen import staff_user

    letter = DecisionLetter.objects.get(pk=read_result("issuance_prepare")["split_letter"])
    ids = list(letter.granted_decisions().values_list("pk", flat=True))
    staff_id = staff_user().pk
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_issue_share, args=(ids[i::PROCESSES], staff_id, barrier, results))
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    shares = [results.get(timeout=TIMEOUT + 120) for _worker in workers]
    for worker in workers:
        worker.join(timeout=30)
    seconds = max(s["end"] for s in shares) - min(s["start"] for s in shares)
    done = sum(s["done"] for s in shares)
    result = {
        "done": done,
        "failed": sum(s["failed"] for s in shares),
        "errors": [e for s in shares for e in s["errors"]][:5],
        "stopped": any(s["stopped"] for s in shares),
        "seconds": round(seconds, 2),
        "per_second": round(done / seconds, 1) if seconds else None,
        "certificates_in_db": Certificate.objects.filter(letter=letter).count(),
    }
    say(f"issuance (split over {PROCESSES} processes): {result}")
    write_result("issuance_split", result)


def main():
    django_setup()
    {"prepare": prepare, "celery": celery, "split": split}[sys.argv[1]]()


if __name__ == "__main__":
    main()
