"""The daily jobs of the life after issue, run by ``lsp.tasks.send_due_reminders`` (Celery beat, once a day).

``expire_certificates`` marks certificates whose validity is over. Each reminder rule picks what is due
and not yet reminded — by stage windows, never "date equals today plus N", so a day the worker was down
is caught up — re-checks it under a row lock and sends with a notification key naming (object, kind,
due date[, recipient]): a second run, or a run after a missed day, sends nothing twice. Withdrawn or
finished cases (a decided or withdrawn appeal, a completed surveillance, a certificate no longer valid
or already renewed) get none. A staged series (expiry: 6, 3, 1 months and the day; re-certification:
expiry − 3 months and 2 weeks before the deadline) sends the latest stage that is due; a stage that a
later one overtook while the job was down is not sent late.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lsp.reminders import remind, reminder_rule
from lsp.workdays import add_working_days, working_days_between
from schemes.models import Scheme

from .dates import add_months
from .models import Appeal, Certificate, Decision, Surveillance
from .services._common import portal_link, staff_users
from .services.recertification import recertification_application, recertification_deadline
from .services.status import certificate_expire, certificates_to_expire

# The LSP's reminder lead times (the deadlines themselves come from each scheme's parameters).
APPEAL_WINDOW_NOTICE = datetime.timedelta(days=1)  # remind while at most a day of the window is left
APPEAL_DUE_NOTICE_WORKING_DAYS = 3
SURVEILLANCE_NOTICE_DAYS = 30
EXPIRY_NOTICE_MONTHS = (6, 3, 1)
EXPIRY_DAY_CATCH_UP_DAYS = 7
RECERTIFICATION_NOTICE_MONTHS = 3
RECERTIFICATION_LAST_NOTICE_DAYS = 14


def _locked(model, pk):
    return model.objects.select_for_update().filter(pk=pk).first()


def latest_stage(stages, today, *, until):
    """The name of the latest stage whose date has come, while ``today`` ≤ ``until``; else None."""
    if today > until:
        return None
    due = [name for name, day in sorted(stages, key=lambda stage: stage[1]) if day <= today]
    return due[-1] if due else None


# --- expiry of certificates -----------------------------------------------------------------------


@reminder_rule
def expire_certificates():
    """Mark each valid certificate past its expiry date as expired (the public page already says so by date)."""
    return sum(certificate_expire(certificate_id=pk) for pk in certificates_to_expire().values_list("pk", flat=True))


# --- appeals (9.9) --------------------------------------------------------------------------------


@reminder_rule
def remind_appeal_window():
    """A candidate with "sertifikat tidak diberikan" who has not appealed: once, when at most a day of the
    appeal window (9.9.2) is left."""
    now = timezone.now()
    sent = 0
    decisions = (
        Decision.objects.filter(
            outcome=Decision.Outcome.NOT_GRANTED, amended_by__isnull=True, communicated_at__isnull=False,
            communicated_at__gte=now - datetime.timedelta(days=366),
        )
        .exclude(appeals__status__in=Appeal.OPEN_STATUSES + (Appeal.Status.DECIDED,))
        .select_related("application__scheme")
    )
    for decision in decisions:
        deadline = decision.appeal_deadline
        if not (now <= deadline <= now + APPEAL_WINDOW_NOTICE):
            continue
        with transaction.atomic():
            locked = _locked(Decision, decision.pk)
            if locked is None or locked.amended_by_id or locked.appeals.exclude(status=Appeal.Status.WITHDRAWN).exists():
                continue
            sent += remind(
                user=decision.application.applicant,
                key=f"appeal-window:{decision.pk}:{timezone.localtime(deadline):%Y%m%dT%H%M}",
                template="emails/certificates_reminder_appeal_window.txt",
                context={"decision": decision, "deadline": timezone.localtime(deadline),
                         "link": portal_link("certificates:appeal-file", decision.pk)},
            )
    return sent


@reminder_rule
def remind_appeal_decision_due():
    """An appeal not yet decided: once when its decision is due within 3 working days, once when overdue
    (9.9.6); to each member of its team and to staff."""
    today = timezone.localdate()
    horizon = add_working_days(today, APPEAL_DUE_NOTICE_WORKING_DAYS)
    sent = 0
    for appeal_id in Appeal.objects.filter(status=Appeal.Status.RECEIVED, due_date__lte=horizon).values_list("pk", flat=True):
        with transaction.atomic():
            appeal = _locked(Appeal, appeal_id)
            if appeal is None or appeal.status != Appeal.Status.RECEIVED:
                continue
            overdue = appeal.due_date < today
            kind = "overdue" if overdue else "due"
            members = [seat.member for seat in appeal.panel_members.select_related("member")]
            recipients = {user.pk: user for user in [*members, *staff_users()]}
            for user in recipients.values():
                sent += remind(
                    user=user,
                    key=f"appeal-{kind}:{appeal.pk}:{appeal.due_date.isoformat()}:{user.pk}",
                    template="emails/certificates_reminder_appeal_due.txt",
                    context={"appeal": appeal, "overdue": overdue, "days_left": working_days_between(today, appeal.due_date),
                             "link": portal_link("certificates:appeal-detail", appeal.pk)},
                )
    return sent


# --- surveillance (9.6) ---------------------------------------------------------------------------


@reminder_rule
def remind_surveillance_due():
    """An open surveillance of a valid certificate: once 30 days before it is due, once when overdue;
    to the holder and to staff."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=SURVEILLANCE_NOTICE_DAYS)
    sent = 0
    due = Surveillance.objects.filter(
        status__in=Surveillance.OPEN_STATUSES, certificate__status=Certificate.Status.ACTIVE, due_date__lte=horizon
    ).values_list("pk", flat=True)
    for surveillance_id in due:
        with transaction.atomic():
            surveillance = _locked(Surveillance, surveillance_id)
            if surveillance is None or not surveillance.is_open:
                continue
            certificate = Certificate.objects.select_related("holder").get(pk=surveillance.certificate_id)
            if certificate.status != Certificate.Status.ACTIVE:
                continue
            overdue = surveillance.due_date < today
            kind = "overdue" if overdue else "due"
            recipients = [(certificate.holder, False, portal_link("certificates:my-surveillance", surveillance.pk))]
            recipients += [
                (user, True, portal_link("certificates:surveillance-detail", surveillance.pk)) for user in staff_users()
            ]
            for user, for_staff, link in recipients:
                sent += remind(
                    user=user,
                    key=f"surveillance-{kind}:{surveillance.pk}:{surveillance.due_date.isoformat()}:{user.pk}",
                    template="emails/certificates_reminder_surveillance.txt",
                    context={"surveillance": surveillance, "certificate": certificate, "overdue": overdue,
                             "for_staff": for_staff, "link": link},
                )
    return sent


# --- re-certification (9.7) and expiry ------------------------------------------------------------


def _certificates_expiring(today, *, months, statuses=(Certificate.Status.ACTIVE,), after=None):
    queryset = Certificate.objects.filter(
        status__in=statuses, expiry_date__lte=add_months(today, months) + datetime.timedelta(days=31)
    )
    if after is not None:
        queryset = queryset.filter(expiry_date__gte=after)
    return queryset.select_related("scheme", "holder").order_by("expiry_date", "pk")


@reminder_rule
def remind_recertification_deadline():
    """A valid certificate not yet being renewed: at expiry − 3 months and 2 weeks before the deadline
    (expiry − the scheme's lead time, 9.7.1); to the holder."""
    today = timezone.localdate()
    sent = 0
    longest_lead = Scheme.objects.aggregate(longest=Max("recertification_lead_months"))["longest"] or 0
    horizon = max(RECERTIFICATION_NOTICE_MONTHS, longest_lead) + 1
    for certificate in _certificates_expiring(today, months=horizon, after=today):
        deadline = recertification_deadline(certificate)
        stage = latest_stage(
            [
                ("3m", add_months(certificate.expiry_date, -RECERTIFICATION_NOTICE_MONTHS)),
                ("2w", deadline - datetime.timedelta(days=RECERTIFICATION_LAST_NOTICE_DAYS)),
            ],
            today,
            until=deadline,
        )
        if stage is None:
            continue
        with transaction.atomic():
            locked = _locked(Certificate, certificate.pk)
            if locked.status != Certificate.Status.ACTIVE or recertification_application(locked) is not None:
                continue
            sent += remind(
                user=certificate.holder,
                key=f"recertification-{stage}:{certificate.pk}:{deadline.isoformat()}",
                template="emails/certificates_reminder_recertification.txt",
                context={"certificate": certificate, "deadline": deadline,
                         "link": portal_link("certificates:recertify", certificate.pk)},
            )
    return sent


@reminder_rule
def remind_expiry():
    """A certificate reaching its expiry date: 6, 3 and 1 months before, and on the day (caught up for a week
    if the job was down); to the holder. A replaced, suspended or revoked certificate gets none."""
    today = timezone.localdate()
    sent = 0
    candidates = _certificates_expiring(
        today, months=max(EXPIRY_NOTICE_MONTHS), statuses=(Certificate.Status.ACTIVE, Certificate.Status.EXPIRED),
        after=today - datetime.timedelta(days=EXPIRY_DAY_CATCH_UP_DAYS),
    )
    for certificate in candidates:
        expiry = certificate.expiry_date
        stages = [(f"{months}m", add_months(expiry, -months)) for months in EXPIRY_NOTICE_MONTHS] + [("day", expiry)]
        stage = latest_stage(stages, today, until=expiry + datetime.timedelta(days=EXPIRY_DAY_CATCH_UP_DAYS))
        if stage is None:
            continue
        with transaction.atomic():
            locked = _locked(Certificate, certificate.pk)
            if locked.status not in (Certificate.Status.ACTIVE, Certificate.Status.EXPIRED):
                continue
            if locked.status == Certificate.Status.EXPIRED and stage != "day":
                continue
            sent += remind(
                user=certificate.holder,
                key=f"expiry-{stage}:{certificate.pk}:{expiry.isoformat()}",
                template="emails/certificates_reminder_expiry.txt",
                context={"certificate": certificate, "stage": stage,
                         "link": portal_link("certificates:my-certificate", certificate.pk)},
            )
    return sent
