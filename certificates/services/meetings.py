"""The technical team's meeting and its decisions (9.4.2–9.4.4).

``meeting_convene`` (staff) → ``member_conflict_declare`` / ``decision_record`` (members) →
``meeting_close`` (Berita Acara; the candidates are told). A closed meeting is final: a
decision is changed only by an appeal (9.9, ``appeals.appeal_decide``). A re-assessment ordered on appeal
comes back here as a new record, which is refused if its assessor was one the appeal excluded (9.9.4).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from assessments.models import AssessmentRecord, Verdict
from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.models import Role, User
from lsp.notifications import notify

from ..models import Decision, ImpartialityDeclaration, MeetingItem, TechnicalMeeting
from ._common import (
    clean_text,
    conflict_reason,
    is_staff,
    is_technical_team,
    next_document_number,
    portal_link,
    require_staff,
)
from .appeals import excluded_assessor_reason

M = TechnicalMeeting.Status
R = AssessmentRecord.Status


def _records_on_open_meetings():
    return MeetingItem.objects.filter(meeting__status=M.OPEN).values("record")


def meeting_convene(*, actor, date, place, chair, members, records, notes=""):
    """Staff convene a meeting of the technical team on submitted recommendations (9.4.4).

    Members must hold the technical-team role; the chair is one of them. Each record must
    be submitted, undecided and not already before another open meeting, and at least one
    member must be free to decide on it (no member decides on a candidate they assessed).
    """
    place, notes = clean_text(place), clean_text(notes)
    members = list({member.pk: member for member in [chair, *members]}.values())
    with transaction.atomic():
        require_staff(actor)
        if not place:
            raise InvalidState(_("Say where the meeting takes place."))
        for member in members:
            if not is_technical_team(member):
                raise InvalidState(
                    _("%(name)s is not a member of the technical team.") % {"name": member.full_name or member.email}
                )
        record_ids = [record.pk for record in records]
        if not record_ids:
            raise InvalidState(_("Choose at least one submitted recommendation to decide on."))
        # Locked so that the same record cannot be put before two meetings at once.
        locked = list(
            AssessmentRecord.objects.select_for_update().filter(pk__in=record_ids).order_by("pk")
        )
        busy = set(_records_on_open_meetings().filter(record__in=record_ids).values_list("record", flat=True))
        decided = set(Decision.objects.filter(record__in=record_ids).values_list("record", flat=True))
        for record in locked:
            application = Application.objects.get(pk=record.application_id)
            name = application.full_name
            if record.status != R.SUBMITTED:
                raise InvalidState(
                    _("%(name)s has no submitted recommendation (9.3.5).") % {"name": name}
                )
            if record.pk in decided:
                raise InvalidState(_("%(name)s has already been decided.") % {"name": name})
            if record.pk in busy:
                raise InvalidState(_("%(name)s is already before another open meeting.") % {"name": name})
            excluded = excluded_assessor_reason(record)
            if excluded:
                raise InvalidState(excluded)
            if all(conflict_reason(member, application) for member in members):
                raise InvalidState(
                    _("No member of this meeting is free to decide on %(name)s: add a member who did not assess them.")
                    % {"name": name}
                )
        meeting = TechnicalMeeting.objects.create(
            date=date, place=place, chair=chair, notes=notes, convened_by=actor
        )
        meeting.members.set(members)
        ordered = sorted(locked, key=lambda r: (r.submitted_at, r.pk))
        MeetingItem.objects.bulk_create(
            MeetingItem(meeting=meeting, record=record, position=position) for position, record in enumerate(ordered, 1)
        )
        audit_record(
            actor=actor,
            action="meeting.convene",
            obj=meeting,
            to_state=M.OPEN,
            data={"members": [m.pk for m in members], "chair": chair.pk, "records": record_ids},
        )
        for member in members:
            notify(
                user=member,
                template="emails/certificates_meeting_convened.txt",
                context={"meeting": meeting, "count": len(locked), "link": portal_link("certificates:meeting-detail", meeting.pk)},
                key=f"meeting-convened:{meeting.pk}:{member.pk}",
            )
    return meeting


def _lock_meeting(meeting):
    return TechnicalMeeting.objects.select_for_update().get(pk=meeting.pk)


def _require_member(actor, meeting):
    if not is_technical_team(actor) or not meeting.members.filter(pk=actor.pk).exists():
        raise NotAllowed(_("Only members of this technical team meeting may do this."))


def member_conflict_declare(*, actor, meeting, record, kind, note=""):
    """A member declares a conflict with a candidate (e.g. trained them); they will not decide on them."""
    note = clean_text(note)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        _require_member(actor, meeting)
        if not meeting.items.filter(record=record).exists():
            raise InvalidState(_("This candidate is not before this meeting."))
        if kind not in ImpartialityDeclaration.Kind.values:
            raise InvalidState(_("Choose the kind of conflict."))
        existing = ImpartialityDeclaration.objects.filter(application_id=record.application_id, member=actor).first()
        if existing is not None:
            return existing
        declaration = ImpartialityDeclaration.objects.create(
            application_id=record.application_id, member=actor, meeting=meeting, kind=kind, note=note
        )
        audit_record(
            actor=actor, action="meeting.declare_conflict", obj=meeting, to_state=kind, reason=note,
            data={"record": record.pk, "application": record.application_id},
        )
    return declaration


def decision_record(*, actor, meeting, record, outcome, recommendation_verified, evidence_verified, notes=""):
    """One candidate's certification decision, taken in the meeting by a member (9.4.2–9.4.4).

    Needs a submitted recommendation; the member must have had no part in the candidate's
    assessment; the recommendation and the evidence record must be verified. A candidate is
    decided once: the record row is locked and a unique constraint backs it, so two members
    acting at the same moment produce one decision (the second gets it back unchanged, or a
    refusal if they chose otherwise). "Diberikan" only on a Kompeten recommendation (9.4.6);
    "tidak diberikan" on a Kompeten recommendation needs the reason in the notes.
    """
    notes = clean_text(notes)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        _require_member(actor, meeting)
        record = AssessmentRecord.objects.select_for_update().get(pk=record.pk)
        existing = Decision.objects.filter(record=record).first()
        if existing is not None:
            if existing.meeting_id == meeting.pk and existing.outcome == outcome:
                return existing
            raise InvalidState(_("This candidate has already been decided."))
        if not meeting.is_open:
            raise InvalidState(_("The meeting is closed; its Berita Acara is final."))
        if not meeting.items.filter(record=record).exists():
            raise InvalidState(_("This candidate is not before this meeting."))
        if record.status != R.SUBMITTED or record.recommendation not in Verdict.values:
            raise InvalidState(_("There is no submitted recommendation to decide on (9.3.5, 9.4.2)."))
        application = Application.objects.select_for_update().get(pk=record.application_id)
        reason = conflict_reason(actor, application)
        if reason:
            raise NotAllowed(_("You may not decide on this candidate (impartiality, 9.4.2). %(reason)s") % {"reason": reason})
        excluded = excluded_assessor_reason(record)
        if excluded:
            raise InvalidState(excluded)
        if not (recommendation_verified and evidence_verified):
            raise InvalidState(_("Verify the recommendation and the evidence record first (9.4.4)."))
        if outcome not in Decision.Outcome.values:
            raise InvalidState(_("Choose the decision."))
        if outcome == Decision.Outcome.GRANTED and record.recommendation != Verdict.K:
            raise InvalidState(_("A certificate is granted only on a Kompeten recommendation (9.4.6)."))
        if outcome == Decision.Outcome.NOT_GRANTED and record.recommendation == Verdict.K and not notes:
            raise InvalidState(_("Give the reason for not granting a certificate against a Kompeten recommendation."))
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    meeting=meeting, record=record, application=application, recommendation=record.recommendation,
                    recommendation_verified=True, evidence_verified=True, outcome=outcome, notes=notes,
                    decided_by=actor,
                )
        except IntegrityError:
            # Only reachable without row locks (SQLite): the other decision won.
            raise InvalidState(_("This candidate has already been decided.")) from None
        audit_record(
            actor=actor, action="decision.record", obj=decision, to_state=outcome, reason=notes,
            data={"meeting": meeting.pk, "record": record.pk, "recommendation": record.recommendation},
        )
        if application.status == Application.Status.ACCEPTED:
            # The certification process of this application has ended (so the person may apply again, 9.7).
            application.status = Application.Status.COMPLETED
            application.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor, action="application.complete", obj=application, from_state=Application.Status.ACCEPTED,
                to_state=Application.Status.COMPLETED, data={"decision": decision.pk},
            )
    return decision


def meeting_close(*, actor, meeting):
    """Close the meeting with its Berita Acara (9.4.4): numbered, PDF built after commit; each decided
    candidate is told the decision and the appeal deadline (9.9.2). Undecided items are left for a
    later meeting. Staff or the chair close it."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if not (is_staff(actor) or (actor.pk == meeting.chair_id and actor.has_role(Role.TECHNICAL_TEAM))):
            raise NotAllowed(_("Only LSP staff or the chair may close the meeting."))
        if not meeting.is_open:
            return meeting
        decisions = list(meeting.decisions.select_related("application__applicant", "application__scheme"))
        if not decisions:
            raise InvalidState(_("No decision has been taken in this meeting yet."))
        now = timezone.now()
        meeting.minutes_date = timezone.localdate()
        meeting.minutes_number = next_document_number("minutes", meeting.minutes_date)
        meeting.status, meeting.closed_at, meeting.closed_by = M.CLOSED, now, actor
        meeting.save(update_fields=["minutes_date", "minutes_number", "status", "closed_at", "closed_by"])
        audit_record(
            actor=actor, action="meeting.close", obj=meeting, from_state=M.OPEN, to_state=M.CLOSED,
            data={"minutes_number": meeting.minutes_number, "decisions": [d.pk for d in decisions]},
        )
        for decision in decisions:
            decision.communicated_at = now
            decision.save(update_fields=["communicated_at"])
            notify(
                user=decision.application.applicant,
                template="emails/certificates_decision.txt",
                context={
                    "decision": decision,
                    "application": decision.application,
                    "meeting": meeting,
                    "appeal_deadline": timezone.localtime(decision.appeal_deadline),
                    "link": portal_link("certificates:my-list"),
                },
                key=f"decision-communicated:{decision.pk}",
            )
        from ..tasks import build_minutes_pdf

        build_minutes_pdf.delay_on_commit(meeting.pk)
    return meeting


def technical_team_users():
    return User.objects.filter(roles__role=Role.TECHNICAL_TEAM, is_active=True).distinct()
