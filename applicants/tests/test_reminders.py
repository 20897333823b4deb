"""Registration reminders: exactly once per (object, kind, due date), also after a missed day."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from applicants.models import Application, Invoice
from applicants.reminders import remind_pending_payments, remind_untouched_drafts
from lsp.models import Notification
from lsp.tasks import send_due_reminders

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _at(day, hour=7):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=JAKARTA)


@pytest.mark.django_db
class TestDraftUntouched:
    def test_reminded_once_after_three_days_even_when_the_job_runs_twice(self, tmi, applicant, django_capture_on_commit_callbacks):
        with time_machine.travel(_at(datetime.date(2026, 11, 2)), tick=False):
            application = Application.objects.create(applicant=applicant, scheme=tmi)
        with time_machine.travel(_at(datetime.date(2026, 11, 4)), tick=False):
            assert remind_untouched_drafts() == 0  # two days: not yet
        # Days were missed: the reminder is caught up, and a second run sends nothing.
        with time_machine.travel(_at(datetime.date(2026, 11, 9)), tick=False), django_capture_on_commit_callbacks(
            execute=True
        ):
            assert remind_untouched_drafts() == 1
            assert remind_untouched_drafts() == 0
        assert Notification.objects.filter(user=applicant, key__startswith=f"draft-untouched:{application.pk}:").count() == 1
        assert len(mail.outbox) == 1

    def test_a_withdrawn_application_gets_none(self, tmi, applicant):
        with time_machine.travel(_at(datetime.date(2026, 11, 2)), tick=False):
            Application.objects.create(applicant=applicant, scheme=tmi, status=Application.Status.WITHDRAWN)
        with time_machine.travel(_at(datetime.date(2026, 11, 9)), tick=False):
            assert remind_untouched_drafts() == 0


@pytest.mark.django_db
class TestPaymentPending:
    @pytest.fixture
    def invoice(self, tmi, applicant):
        application = Application.objects.create(applicant=applicant, scheme=tmi, status=Application.Status.ACCEPTED)
        return Invoice.objects.create(
            application=application, number="INV/2026/000009", amount=2000000, due_date=datetime.date(2026, 11, 20)
        )

    def test_once_before_due_and_once_overdue(self, invoice):
        with time_machine.travel(_at(datetime.date(2026, 11, 16)), tick=False):
            assert remind_pending_payments() == 0  # four days before: not yet
        with time_machine.travel(_at(datetime.date(2026, 11, 17)), tick=False):
            assert remind_pending_payments() == 1
            assert remind_pending_payments() == 0
        with time_machine.travel(_at(datetime.date(2026, 11, 20)), tick=False):
            assert remind_pending_payments() == 0  # due today: already reminded for this due date
        with time_machine.travel(_at(datetime.date(2026, 11, 23)), tick=False):
            assert remind_pending_payments() == 1
            assert remind_pending_payments() == 0
        keys = sorted(Notification.objects.values_list("key", flat=True))
        assert keys == [f"payment-due:{invoice.pk}:2026-11-20", f"payment-overdue:{invoice.pk}:2026-11-20"]

    def test_a_settled_invoice_gets_none(self, invoice):
        Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PAID, settled_at=timezone.now())
        with time_machine.travel(_at(datetime.date(2026, 11, 23)), tick=False):
            assert remind_pending_payments() == 0

    def test_the_daily_job_runs_these_rules(self, invoice):
        with time_machine.travel(_at(datetime.date(2026, 11, 23)), tick=False):
            result = send_due_reminders.apply().get()
        assert result["applicants.reminders.remind_pending_payments"] == 1
