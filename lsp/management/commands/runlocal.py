"""Serve the portal on a laptop with no Redis: runserver plus an in-process beat.

With no broker, tasks already run in-process when they are enqueued; this command adds
the periodic ones, checking the one beat schedule (lsp/celery.py) every few seconds.
"""

import logging
import threading

from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from lsp.celery import BEAT_SCHEDULE, app

logger = logging.getLogger(__name__)


def run_beat_forever(stop, tick=30):
    last_run = {name: timezone.now() for name in BEAT_SCHEDULE}
    # Daily jobs also run once at start-up, so a laptop that was off catches up:
    # the jobs themselves never send anything twice.
    for name, entry in BEAT_SCHEDULE.items():
        if isinstance(entry["schedule"], crontab):
            _run(name, entry)
    while not stop.wait(tick):
        for name, entry in BEAT_SCHEDULE.items():
            schedule = entry["schedule"]
            due, _next = schedule.is_due(last_run[name])
            if due:
                last_run[name] = timezone.now()
                _run(name, entry)


def _run(name, entry):
    close_old_connections()
    try:
        app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
    except Exception:  # the server must keep running; the failure is logged
        logger.exception("periodic task %s failed", name)
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = "Run the development server and, without Redis, the periodic jobs in-process."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            app.loader.import_default_modules()  # register every app's tasks before the first run
            stop = threading.Event()
            threading.Thread(target=run_beat_forever, args=(stop,), daemon=True, name="beat").start()
            self.stdout.write("Background jobs run in-process (no REDIS_URL set).")
        else:
            self.stdout.write("Background jobs go to Celery: start a worker and beat (see README).")
        call_command("runserver", addrport, use_reloader=False)
