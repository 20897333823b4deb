"""Surveillance of certificate holders (9.6).

``surveillance_plan`` (at issue: one surveillance per interval, 9.6.2) → the holder's
``surveillance_evidence_submit`` (logbook or other evidence of continued practice) → staff
``surveillance_record`` (method of 9.6.3, outcome, notes; kept in the holder's record, 9.6.4).
"Not maintained" opens a sanction case (9.5); "follow-up" plans an extra surveillance.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.notifications import notify

from ..dates import add_months
from ..models import Certificate, Surveillance, SurveillanceFile
from ._common import clean_text, portal_link, require_staff, staff_users
from .files import MAX_FILES_PER_UPLOAD, StoredFiles, file_fields, inspect_all

SV = Surveillance.Status
# How long before its due date a surveillance is listed as due and the holder is reminded.
SURVEILLANCE_NOTICE_DAYS = 30


def surveillance_due_dates(certificate, interval_months):
    """Issue date + n × the interval, for every n whose date is before expiry (re-certification covers expiry)."""
    dates, period = [], 1
    while True:
        due = add_months(certificate.issue_date, period * interval_months)
        if due >= certificate.expiry_date:
            return dates
        dates.append((period, due))
        period += 1


def surveillance_plan(certificate):
    """Plan the regular surveillances of a new certificate with the scheme's interval of today (9.6.2).
    Call inside the issuing transaction; planning again adds nothing."""
    interval = certificate.scheme.surveillance_interval_months
    planned = set(
        Surveillance.objects.filter(certificate=certificate, follow_up_of__isnull=True).values_list("period", flat=True)
    )
    created = [
        Surveillance.objects.create(certificate=certificate, period=period, due_date=due)
        for period, due in surveillance_due_dates(certificate, interval)
        if period not in planned
    ]
    return created


def current_surveillance(certificate):
    """The earliest open surveillance of the certificate: the one the holder answers now."""
    return certificate.surveillances.filter(status__in=Surveillance.OPEN_STATUSES).order_by("due_date", "id").first()


def _lock(surveillance):
    return Surveillance.objects.select_for_update().get(pk=surveillance.pk)


def surveillance_evidence_submit(*, actor, surveillance, statement, files=()):
    """The holder gives evidence of continued practice for the current surveillance: a statement and files
    (logbook, a letter from the supervisor…). They may add more until the LSP records the outcome."""
    statement = clean_text(statement)
    cleaned = inspect_all(files)
    if len(cleaned) > MAX_FILES_PER_UPLOAD:
        raise InvalidState(_("Attach at most %(count)s files at once.") % {"count": MAX_FILES_PER_UPLOAD})
    with StoredFiles("surveillance") as stored, transaction.atomic():
        surveillance = _lock(surveillance)
        certificate = Certificate.objects.get(pk=surveillance.certificate_id)
        if actor is None or not actor.is_authenticated or certificate.holder_id != actor.pk:
            raise NotAllowed(_("Only the holder of the certificate may submit surveillance evidence."))
        if not surveillance.is_open:
            raise InvalidState(_("This surveillance has been completed."))
        if certificate.status != Certificate.Status.ACTIVE:
            raise InvalidState(_("This certificate is not valid, so it is not under surveillance."))
        current = current_surveillance(certificate)
        if current is not None and current.pk != surveillance.pk:
            raise InvalidState(_("Answer the earlier surveillance first."))
        if not statement and not cleaned:
            raise InvalidState(_("Describe your continued practice or attach your logbook."))
        saved = [
            SurveillanceFile.objects.create(surveillance=surveillance, **file_fields(clean, stored.save(clean), actor))
            for clean in cleaned
        ]
        previous = surveillance.status
        if statement:
            surveillance.holder_statement = statement
        surveillance.status, surveillance.evidence_submitted_at = SV.EVIDENCE_SUBMITTED, timezone.now()
        surveillance.save(update_fields=["holder_statement", "status", "evidence_submitted_at"])
        audit_record(
            actor=actor, action="surveillance.evidence", obj=surveillance, from_state=previous, to_state=surveillance.status,
            data={"files": [str(f.uuid) for f in saved]},
        )
        if previous == SV.DUE:
            for user in staff_users():
                notify(
                    user=user,
                    template="emails/certificates_surveillance_evidence.txt",
                    context={"surveillance": surveillance, "certificate": certificate,
                             "link": portal_link("certificates:surveillance-detail", surveillance.pk)},
                    key=f"surveillance-evidence:{surveillance.pk}:{user.pk}",
                )
    return surveillance


def surveillance_record(*, actor, surveillance, method, outcome, notes, method_other="", ground=None, duty=None,
                        follow_up_due=None):
    """Staff record how the holder was surveyed (9.6.3), the outcome and notes; kept in the record (9.6.4).

    "Not maintained" opens a sanction case on ``ground`` (one of the scheme's grounds, 9.5.1);
    "follow-up" plans a further surveillance due on ``follow_up_due``. Recording the same outcome
    again returns the surveillance unchanged; a completed one cannot be changed.
    """
    from .sanctions import sanction_case_open

    notes, method_other = clean_text(notes), clean_text(method_other)
    with transaction.atomic():
        require_staff(actor)
        surveillance = _lock(surveillance)
        if surveillance.status == SV.COMPLETED:
            if surveillance.outcome == outcome and surveillance.method == method:
                return surveillance
            raise InvalidState(_("This surveillance has already been recorded."))
        certificate = Certificate.objects.select_related("scheme").get(pk=surveillance.certificate_id)
        if certificate.holder_id == actor.pk:
            raise NotAllowed(_("You cannot survey your own certificate."))
        if method not in Surveillance.Method.values:
            raise InvalidState(_("Choose the surveillance method (9.6.3)."))
        if method == Surveillance.Method.OTHER and not method_other:
            raise InvalidState(_("Describe the other surveillance method."))
        if outcome not in Surveillance.Outcome.values:
            raise InvalidState(_("Choose the outcome of the surveillance."))
        if not notes:
            raise InvalidState(_("Write down what the surveillance found (9.6.4)."))
        if outcome == Surveillance.Outcome.NOT_MAINTAINED and ground is None:
            raise InvalidState(_("Choose the ground of the sanction case that \"not maintained\" opens (9.5.1)."))
        if outcome == Surveillance.Outcome.FOLLOW_UP:
            if follow_up_due is None:
                raise InvalidState(_("Set the date of the follow-up surveillance."))
            if follow_up_due <= timezone.localdate():
                raise InvalidState(_("The follow-up surveillance is due after today."))
        previous = surveillance.status
        surveillance.method = method
        surveillance.method_other = method_other if method == Surveillance.Method.OTHER else ""
        surveillance.outcome, surveillance.notes = outcome, notes
        surveillance.status, surveillance.recorded_by, surveillance.recorded_at = SV.COMPLETED, actor, timezone.now()
        data = {"method": method, "outcome": outcome}
        if outcome == Surveillance.Outcome.NOT_MAINTAINED:
            case = sanction_case_open(
                actor=actor, certificate=certificate, ground=ground, duty=duty,
                description=_("Surveillance %(period)s found that competence is not maintained: %(notes)s")
                % {"period": surveillance.period, "notes": notes},
            )
            surveillance.sanction_case = case
            data["sanction_case"] = case.number
        surveillance.save()
        if outcome == Surveillance.Outcome.FOLLOW_UP:
            follow_up = Surveillance.objects.create(
                certificate=certificate, period=surveillance.period, follow_up_of=surveillance, due_date=follow_up_due
            )
            data["follow_up"] = follow_up.pk
        audit_record(
            actor=actor, action="surveillance.record", obj=surveillance, from_state=previous, to_state=SV.COMPLETED,
            reason=notes, data=data,
        )
        notify(
            user=certificate.holder,
            template="emails/certificates_surveillance_recorded.txt",
            context={
                "surveillance": surveillance, "certificate": certificate,
                "follow_up_due": follow_up_due if outcome == Surveillance.Outcome.FOLLOW_UP else None,
                "link": portal_link("certificates:my-certificate", certificate.pk),
            },
            key=f"surveillance-recorded:{surveillance.pk}",
        )
    return surveillance


def surveillance_window_opens(surveillance):
    return surveillance.due_date - datetime.timedelta(days=SURVEILLANCE_NOTICE_DAYS)


__all__ = [
    "SURVEILLANCE_NOTICE_DAYS",
    "current_surveillance",
    "surveillance_due_dates",
    "surveillance_evidence_submit",
    "surveillance_plan",
    "surveillance_record",
    "surveillance_window_opens",
]
