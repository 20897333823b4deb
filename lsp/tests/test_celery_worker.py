"""A task executed by a real Celery worker process over Redis (PostgreSQL + Redis run)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.conf import settings
from django.db import connection

from lsp.celery import app as celery_app
from lsp.models import Notification, Role
from lsp.tasks import deliver_notification, ping

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL; .ci/run provides both in its second run",
    ),
]


@pytest.fixture
def worker_queue():
    """Start a real worker on a queue of its own, pointed at this test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lsp.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lsp", "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}@%h", "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
    )
    celery_app.conf.task_always_eager = False
    try:
        # Celery keeps "a result may not be awaited here" in a process-wide flag that eager
        # tasks run from several threads (the concurrency tests) can leave set; this test
        # process is no worker, so waiting for a result is what it should do.
        with allow_join_result():
            yield queue
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_ping_runs_in_another_process(worker_queue):
    result = ping.apply_async(args=["halo"], queue=worker_queue).get(timeout=90)
    assert result["value"] == "halo"
    assert result["pid"] != os.getpid()


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_stored_notification(worker_queue, make_user):
    user = make_user(Role.APPLICANT)
    message = Notification.objects.create(user=user, email=user.email, subject="Uji", body="Isi")
    assert deliver_notification.apply_async(args=[message.pk], queue=worker_queue).get(timeout=90) is True
    message.refresh_from_db()
    assert message.emailed_at is not None
    # Run again: the worker sees it was sent and does nothing.
    assert deliver_notification.apply_async(args=[message.pk], queue=worker_queue).get(timeout=90) is False
