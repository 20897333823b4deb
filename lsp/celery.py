"""The Celery application. The beat schedule lives here and nowhere else."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lsp.settings.local")

app = Celery("lsp", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of the portal. Jobs pick the rows that are due and not yet
# handled, so a run that is missed or repeated neither skips nor doubles anything.
BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "lsp.tasks.send_due_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    # Certificates past their expiry date become expired just after midnight (Jakarta).
    "expire-certificates": {
        "task": "certificates.tasks.expire_certificates",
        "schedule": crontab(minute=5, hour=0),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
