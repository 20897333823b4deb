import threading

import pytest

from lsp.celery import BEAT_SCHEDULE
from lsp.management.commands import runlocal


@pytest.mark.django_db
def test_in_process_beat_runs_every_scheduled_task_at_start(monkeypatch):
    """Without Redis the daily jobs still run: runlocal's beat thread starts them itself."""
    ran = []
    monkeypatch.setattr(runlocal, "_run", lambda name, entry: ran.append(name))
    stop = threading.Event()
    stop.set()  # one pass, then stop
    runlocal.run_beat_forever(stop, tick=0)
    assert ran == list(BEAT_SCHEDULE)


@pytest.mark.django_db
def test_every_scheduled_task_is_registered():
    from lsp.celery import app

    app.loader.import_default_modules()
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    # And it really runs in-process, returning what each reminder rule sent.
    result = app.tasks[BEAT_SCHEDULE["send-due-reminders"]["task"]].apply().get()
    assert isinstance(result, dict)
