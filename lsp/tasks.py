"""Cross-cutting background jobs. Tasks take ids, load, and call a service."""

import logging

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError, TimeoutError, OSError), retry_backoff=True, max_retries=5)
def deliver_notification(notification_id):
    """Email one stored message. Safe to run twice: a sent message is not sent again."""
    with transaction.atomic():
        message = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if message is None or message.emailed_at is not None:
            return False
        send_mail(message.subject, message.body, None, [message.email])
        message.emailed_at = timezone.now()
        message.save(update_fields=["emailed_at"])
    return True


@shared_task
def send_due_reminders():
    """Daily: every reminder rule of every app. Each rule sends at most once per key."""
    from django.utils.module_loading import autodiscover_modules

    from .reminders import run_all_rules

    autodiscover_modules("reminders")
    sent = run_all_rules()
    logger.info("reminders sent: %s", sent)
    return sent


@shared_task
def ping(value):
    """Answer with the value and the worker's process id: used to prove a real worker runs."""
    import os

    return {"value": value, "pid": os.getpid()}
