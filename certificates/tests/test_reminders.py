"""Every deadline reminder after issue: once per (object, kind, due date), also when the job runs twice or after a
day it did not run; withdrawn and finished cases get none. Time is frozen with time-machine."""

import datetime

import pytest
import time_machine
from django.core import mail

from assessments.models import Assessor, TukVerification
from certificates import reminders, services
from certificates.dates import add_months
from certificates.models import Appeal
from certificates.services.recertification import recertification_deadline
from lsp.models import Notification, Role
from lsp.tasks import send_due_reminders
from lsp.workdays import add_working_days

pytestmark = pytest.mark.django_db
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _at(day, hour=7):
    """The daily job's hour (lsp.celery: 07:00 Asia/Jakarta) on ``day``."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), JAKARTA), tick=False)


def _keys(prefix):
    return sorted(Notification.objects.filter(key__startswith=prefix).values_list("key", flat=True))


# --- the appeal window (9.9.2) -----------------------------------------------------------------------


class TestAppealWindow:
    def test_the_candidate_with_tidak_diberikan_is_reminded_once_before_the_window_closes(
        self, bk_decision, appellant, django_capture_on_commit_callbacks
    ):
        deadline = bk_decision.appeal_deadline
        with time_machine.travel(deadline - datetime.timedelta(hours=20), tick=False), django_capture_on_commit_callbacks(execute=True):
            assert reminders.remind_appeal_window() == 1
            assert reminders.remind_appeal_window() == 0  # the job run twice
        with time_machine.travel(deadline - datetime.timedelta(hours=2), tick=False):
            assert reminders.remind_appeal_window() == 0  # the next day's run: already told
        with time_machine.travel(deadline + datetime.timedelta(minutes=1), tick=False):
            assert reminders.remind_appeal_window() == 0
        assert len(_keys(f"appeal-window:{bk_decision.pk}:")) == 1
        sent = [m for m in mail.outbox if m.to == [appellant.email] and m.subject.startswith("Appeal possible until")]
        assert len(sent) == 1 and "9.9.2" in sent[0].body

    def test_not_before_the_last_day_of_a_longer_window(self, bk_decision, tmi):
        type(tmi).objects.filter(pk=tmi.pk).update(appeal_window_days=5)
        start = bk_decision.communicated_at
        with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
            assert reminders.remind_appeal_window() == 0
        with time_machine.travel(start + datetime.timedelta(days=4, hours=6), tick=False):
            assert reminders.remind_appeal_window() == 1

    def test_an_appealed_or_granted_decision_gets_none(self, bk_decision, appellant, decision, staff, meeting):
        services.meeting_close(actor=staff, meeting=meeting)  # a "diberikan" decision communicated too
        from .helpers import file_appeal

        file_appeal(appellant, bk_decision)
        with time_machine.travel(bk_decision.appeal_deadline - datetime.timedelta(hours=3), tick=False):
            assert reminders.remind_appeal_window() == 0


# --- the appeal decision due (9.9.6) -----------------------------------------------------------------


class TestAppealDecisionDue:
    def test_due_in_three_working_days_then_overdue_to_the_team_and_staff(self, panel_appeal, appeal_member, staff):
        due = panel_appeal.due_date
        four_before = _working_days_before(due, 4)
        three_before = _working_days_before(due, 3)
        with _at(four_before):
            assert reminders.remind_appeal_decision_due() == 0
        with _at(three_before):
            assert reminders.remind_appeal_decision_due() == 2  # the team member and the staff member
            assert reminders.remind_appeal_decision_due() == 0
        with _at(due):
            assert reminders.remind_appeal_decision_due() == 0  # already told for this due date
        # The job did not run for days: the overdue reminder is still sent, once.
        with _at(due + datetime.timedelta(days=4)):
            assert reminders.remind_appeal_decision_due() == 2
            assert reminders.remind_appeal_decision_due() == 0
        assert _keys(f"appeal-due:{panel_appeal.pk}:") == sorted(
            f"appeal-due:{panel_appeal.pk}:{due.isoformat()}:{user.pk}" for user in (appeal_member, staff)
        )
        assert len(_keys(f"appeal-overdue:{panel_appeal.pk}:")) == 2

    def test_a_decided_or_withdrawn_appeal_gets_none(self, panel_appeal, appeal_member, appellant):
        services.appeal_decide(actor=appeal_member, appeal=panel_appeal, outcome=Appeal.Outcome.REJECTED, reason="x")
        with _at(panel_appeal.due_date + datetime.timedelta(days=2)):
            assert reminders.remind_appeal_decision_due() == 0

    def test_withdrawn_gets_none(self, panel_appeal, appellant):
        services.appeal_withdraw(actor=appellant, appeal=panel_appeal)
        with _at(panel_appeal.due_date):
            assert reminders.remind_appeal_decision_due() == 0


def _working_days_before(due, n):
    day = due
    while True:
        day -= datetime.timedelta(days=1)
        if add_working_days(day, n) == due and add_working_days(day, n - 1) < due:
            return day


# --- surveillance (9.6) ------------------------------------------------------------------------------


class TestSurveillanceDue:
    def test_due_in_30_days_then_overdue_to_the_holder_and_staff(self, certificate, holder, staff):
        first = certificate.surveillances.get(period=1)
        due = first.due_date
        with _at(due - datetime.timedelta(days=31)):
            assert reminders.remind_surveillance_due() == 0
        with _at(due - datetime.timedelta(days=28)):  # two days missed: caught up
            assert reminders.remind_surveillance_due() == 2
            assert reminders.remind_surveillance_due() == 0
        with _at(due + datetime.timedelta(days=1)):
            assert reminders.remind_surveillance_due() == 2
            assert reminders.remind_surveillance_due() == 0
        assert _keys(f"surveillance-due:{first.pk}:") == sorted(
            f"surveillance-due:{first.pk}:{due.isoformat()}:{user.pk}" for user in (holder, staff)
        )
        assert len(_keys(f"surveillance-overdue:{first.pk}:")) == 2

    def test_a_completed_surveillance_or_a_suspended_certificate_gets_none(self, certificate, staff, case):
        first = certificate.surveillances.get(period=1)
        services.surveillance_record(actor=staff, surveillance=first, method="logbook", outcome="maintained", notes="ok")
        services.certificate_suspend(actor=staff, case=case, reason="x", decision_reference="SK")
        second = certificate.surveillances.get(period=2)
        with _at(second.due_date):
            assert reminders.remind_surveillance_due() == 0


# --- re-certification (9.7) --------------------------------------------------------------------------


class TestRecertificationDeadline:
    def test_at_expiry_minus_3_months_and_2_weeks_before_the_deadline(self, certificate, holder):
        expiry = certificate.expiry_date
        deadline = recertification_deadline(certificate)
        three_months = add_months(expiry, -3)
        with _at(three_months - datetime.timedelta(days=1)):
            assert reminders.remind_recertification_deadline() == 0
        with _at(three_months + datetime.timedelta(days=2)):  # missed days: caught up
            assert reminders.remind_recertification_deadline() == 1
            assert reminders.remind_recertification_deadline() == 0
        with _at(deadline - datetime.timedelta(days=14)):
            assert reminders.remind_recertification_deadline() == 1
            assert reminders.remind_recertification_deadline() == 0
        with _at(deadline + datetime.timedelta(days=1)):
            assert reminders.remind_recertification_deadline() == 0
        assert _keys("recertification-") == [
            f"recertification-2w:{certificate.pk}:{deadline.isoformat()}",
            f"recertification-3m:{certificate.pk}:{deadline.isoformat()}",
        ]

    def test_a_certificate_being_renewed_gets_none(self, certificate, holder):
        services.recertification_start(actor=holder, certificate=certificate)
        with _at(add_months(certificate.expiry_date, -3)):
            assert reminders.remind_recertification_deadline() == 0


# --- expiry ------------------------------------------------------------------------------------------


class TestExpiry:
    def test_6_3_and_1_months_before_and_on_the_day(self, certificate, holder):
        expiry = certificate.expiry_date
        for months in (6, 3, 1):
            with _at(add_months(expiry, -months) - datetime.timedelta(days=1)):
                reminders.remind_expiry()
            with _at(add_months(expiry, -months)):
                assert reminders.remind_expiry() == 1, months
                assert reminders.remind_expiry() == 0
        with _at(expiry):
            assert reminders.remind_expiry() == 1
            assert reminders.remind_expiry() == 0
        assert _keys("expiry-") == sorted(
            f"expiry-{stage}:{certificate.pk}:{expiry.isoformat()}" for stage in ("6m", "3m", "1m", "day")
        )

    def test_the_day_is_caught_up_after_the_job_missed_it_even_once_expired(self, certificate):
        expiry = certificate.expiry_date
        with _at(expiry + datetime.timedelta(days=2)):
            assert reminders.expire_certificates() == 1
            assert reminders.remind_expiry() == 1
            assert _keys("expiry-") == [f"expiry-day:{certificate.pk}:{expiry.isoformat()}"]

    def test_a_superseded_or_revoked_certificate_gets_none(self, certificate, staff, case, tmi_direct_policy):
        services.certificate_revoke(actor=staff, case=case, reason="x", decision_reference="SK")
        with _at(add_months(certificate.expiry_date, -1)):
            assert reminders.remind_expiry() == 0
            assert reminders.remind_recertification_deadline() == 0


# --- the daily task runs them all --------------------------------------------------------------------


def test_the_daily_task_runs_the_after_issue_rules(certificate, holder):
    with _at(add_months(certificate.expiry_date, -6)):
        result = send_due_reminders.apply().get()
    assert result["certificates.reminders.remind_expiry"] == 1
    assert "certificates.reminders.expire_certificates" in result
    assert "assessments.reminders.remind_assessor_registrations_lapsing" in result


# --- assessor registration and TUK verification (assessments/reminders.py) ---------------------------


class TestRegistriesLapsing:
    def test_assessor_registration_about_to_lapse_to_staff_once(self, assessor, staff):
        from assessments.reminders import remind_assessor_registrations_lapsing

        valid_until = assessor.registration_valid_until
        with _at(valid_until - datetime.timedelta(days=31)):
            assert remind_assessor_registrations_lapsing() == 0
        with _at(valid_until - datetime.timedelta(days=25)):
            assert remind_assessor_registrations_lapsing() == 1
            assert remind_assessor_registrations_lapsing() == 0
        assert _keys("assessor-registration-lapsing:") == [
            f"assessor-registration-lapsing:{assessor.pk}:{valid_until.isoformat()}:{staff.pk}"
        ]
        # Renewed: the new date is reminded again when it comes near.
        renewed = valid_until + datetime.timedelta(days=365)
        Assessor.objects.filter(pk=assessor.pk).update(registration_valid_until=renewed)
        with _at(renewed - datetime.timedelta(days=10)):
            assert remind_assessor_registrations_lapsing() == 1

    def test_an_inactive_assessor_gets_none(self, assessor, staff):
        from assessments.reminders import remind_assessor_registrations_lapsing

        Assessor.objects.filter(pk=assessor.pk).update(is_active=False)
        with _at(assessor.registration_valid_until - datetime.timedelta(days=5)):
            assert remind_assessor_registrations_lapsing() == 0

    def test_tuk_verification_about_to_lapse_unless_verified_again(self, tuk, staff, make_user):
        from assessments.reminders import remind_tuk_verifications_lapsing

        valid_until = tuk.verifications.get().valid_until
        with _at(valid_until - datetime.timedelta(days=40)):
            assert remind_tuk_verifications_lapsing() == 0
        with _at(valid_until - datetime.timedelta(days=20)):
            assert remind_tuk_verifications_lapsing() == 1
            assert remind_tuk_verifications_lapsing() == 0
        TukVerification.objects.create(
            tuk=tuk, verified_on=valid_until - datetime.timedelta(days=15), valid_until=valid_until + datetime.timedelta(days=365),
            verified_by=staff, checklist_notes="Diverifikasi ulang",
        )
        with _at(valid_until - datetime.timedelta(days=10)):
            assert remind_tuk_verifications_lapsing() == 0
        assert len(_keys("tuk-verification-lapsing:")) == 1


def test_staff_reminders_go_to_every_active_staff_member(certificate, holder, staff, make_user):
    other_staff = make_user(Role.STAFF)
    first = certificate.surveillances.get(period=1)
    with _at(first.due_date):
        assert reminders.remind_surveillance_due() == 3
    assert Notification.objects.filter(user=other_staff, key__startswith="surveillance-due:").count() == 1
