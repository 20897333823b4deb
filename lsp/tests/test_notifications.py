import pytest
from django.core import mail
from django.urls import reverse

from lsp.models import Notification, Role
from lsp.notifications import notify
from lsp.tasks import deliver_notification


@pytest.mark.django_db
def test_notify_emails_after_commit_in_the_recipients_language(make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.APPLICANT, preferred_language="en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(user=user, template="emails/verify_email.txt", context={"user": user, "link": "http://x/"})
    # Nothing leaves before the transaction commits.
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["Verify your email address"]
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db
def test_same_key_gives_one_message_and_one_email(make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.APPLICANT)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=user, template="emails/verify_email.txt", context={"user": user, "link": "x"}, key="k:1")
        second = notify(user=user, template="emails/verify_email.txt", context={"user": user, "link": "x"}, key="k:1")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_delivery_task_run_three_times_sends_one_email(make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.APPLICANT)
    with django_capture_on_commit_callbacks(execute=False):
        message = notify(user=user, template="emails/verify_email.txt", context={"user": user, "link": "x"})
    results = [deliver_notification.apply(args=[message.pk]).get() for _ in range(3)]
    assert results == [True, False, False]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_user_sees_only_own_messages(client_as, make_user, django_capture_on_commit_callbacks):
    other = make_user(Role.APPLICANT)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=other, template="emails/verify_email.txt", context={"user": other, "link": "http://rahasia/"})
    client = client_as(Role.APPLICANT)
    page = client.get(reverse("notifications")).content.decode()
    assert "rahasia" not in page
