"""Messages to users: kept as rows (the in-app list) and emailed by a Celery task.

The text is rendered in the recipient's language when the message is created, so the
task only sends what is stored. A ``key`` makes a message unique: asking twice for the
same key (a reminder job run twice) yields one row and one email.
"""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification


def render_message(user, template, context):
    """Render ``template`` in the user's language; its first line is the subject."""
    with translation.override(user.preferred_language or "id"):
        text = render_to_string(template, context)
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def notify(*, user, template, context, key=None):
    """Store a message for ``user`` and email it after the transaction commits."""
    from .tasks import deliver_notification

    subject, body = render_message(user, template, context)
    try:
        with transaction.atomic():
            message = Notification.objects.create(
                user=user, email=user.email, subject=subject, body=body, key=key
            )
    except IntegrityError:
        if key is None:
            raise
        return Notification.objects.get(key=key)
    deliver_notification.delay_on_commit(message.pk)
    return message
