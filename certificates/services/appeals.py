"""Appeals against a certification decision (9.9).

``appeal_file`` (the candidate, on the LSP's form FR.AK.04, within the scheme's window after the
decision was communicated, 9.9.2–9.9.3) → ``appeal_receive`` (staff acknowledge receipt: the decision
is due the scheme's working days later, 9.9.6) → ``appeal_panel_form`` (staff; nobody involved in the
appealed matter, 9.9.4) → ``appeal_decide`` (the team; binding, 9.9.7):

* rejected — the decision stands;
* granted — the decision becomes "sertifikat diberikan" (audited, pointing at the appeal); staff then
  issue the SK based on the appeal decision and the certificate (``appeal_certificate_issue``);
* re-assessment — the appealed assessment is set aside and the candidate is assessed again by a
  different assessor (``appeal_reassessment_assign``); the technical team decides on the new record.

``appeal_withdraw`` lets the candidate withdraw an appeal not yet decided.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from assessments import services as assessment_services
from assessments.models import AssessmentRecord, Assignment
from assessments.selectors import assessor_users_of_application
from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.models import User
from lsp.notifications import notify
from lsp.numbering import counter_next
from lsp.workdays import add_working_days

from ..models import (
    Appeal,
    AppealAttachment,
    AppealPanelMember,
    Decision,
    DecisionLetter,
    ImpartialityDeclaration,
    Signatory,
)
from ._common import clean_text, is_appeal_team, next_document_number, portal_link, require_staff, staff_users
from .files import MAX_FILES_PER_UPLOAD, StoredFiles, file_fields, inspect_all

A = Appeal.Status
O = Appeal.Outcome  # noqa: E741


def _local(moment):
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def _lock(appeal):
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


# --- filing (9.9.1–9.9.3) ---------------------------------------------------------------------


def appeal_refusal(decision, *, now=None):
    """Why the candidate may not (or no longer) appeal this decision, or None."""
    now = now or timezone.now()
    if decision.communicated_at is None:
        return _("The decision has not been communicated yet.")
    if decision.outcome != Decision.Outcome.NOT_GRANTED or decision.amended_by_id is not None:
        return _("Only a \"sertifikat tidak diberikan\" decision can be appealed.")
    deadline = decision.appeal_deadline
    if now > deadline:
        return _(
            "The appeal window closed on %(deadline)s (%(days)s day(s) after the decision was communicated, 9.9.2). "
            "This appeal can no longer be filed."
        ) % {"deadline": _local(deadline), "days": decision.application.scheme.appeal_window_days}
    return None


def appeal_file(*, actor, decision, reasons, process_explained, discussed_with_assessor, involves_other_person,
                other_person="", files=()):
    """The candidate appeals on the LSP's form (FR.AK.04: the three questions, the reasons, attachments) up to
    the moment the decision was communicated + the scheme's window (9.9.2). A late appeal is refused with
    the deadline it missed. Filing twice returns the first appeal."""
    reasons, other_person = clean_text(reasons), clean_text(other_person)
    cleaned = inspect_all(files)
    if len(cleaned) > MAX_FILES_PER_UPLOAD:
        raise InvalidState(_("Attach at most %(count)s files at once.") % {"count": MAX_FILES_PER_UPLOAD})
    with StoredFiles("appeals") as stored, transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        application = Application.objects.select_related("scheme").get(pk=decision.application_id)
        if actor is None or not actor.is_authenticated or application.applicant_id != actor.pk:
            raise NotAllowed(_("Only the candidate may appeal their decision."))
        existing = Appeal.objects.filter(decision=decision).exclude(status=A.WITHDRAWN).first()
        if existing is not None:
            return existing
        refusal = appeal_refusal(decision)
        if refusal:
            raise InvalidState(refusal)
        if not reasons:
            raise InvalidState(_("Give the reasons for your appeal."))
        if involves_other_person and not other_person:
            raise InvalidState(_("Name the person who helps you in the appeal."))
        year = timezone.localdate().year
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(
                    number=f"BDG/{year}/{counter_next(f'appeal-filing:{year}'):04d}",
                    decision=decision, application=application, appellant=actor,
                    process_explained=bool(process_explained), discussed_with_assessor=bool(discussed_with_assessor),
                    involves_other_person=bool(involves_other_person),
                    other_person=other_person if involves_other_person else "",
                    reasons=reasons, window_deadline=decision.appeal_deadline,
                )
        except IntegrityError:
            return Appeal.objects.filter(decision=decision).exclude(status=A.WITHDRAWN).get()
        for clean in cleaned:
            AppealAttachment.objects.create(appeal=appeal, **file_fields(clean, stored.save(clean), actor))
        audit_record(
            actor=actor, action="appeal.file", obj=appeal, to_state=A.FILED, reason=reasons,
            data={"decision": decision.pk, "attachments": len(cleaned), "deadline": decision.appeal_deadline.isoformat()},
        )
        notify(
            user=actor, template="emails/certificates_appeal_filed.txt",
            context={"appeal": appeal, "for_staff": False, "link": portal_link("certificates:my-appeal", appeal.pk)},
            key=f"appeal-filed:{appeal.pk}:{actor.pk}",
        )
        for user in staff_users():
            notify(
                user=user, template="emails/certificates_appeal_filed.txt",
                context={"appeal": appeal, "for_staff": True, "link": portal_link("certificates:appeal-detail", appeal.pk)},
                key=f"appeal-filed:{appeal.pk}:{user.pk}",
            )
    return appeal


def appeal_withdraw(*, actor, appeal, reason=""):
    """The candidate withdraws an appeal that has not been decided; it then gets no more reminders."""
    reason = clean_text(reason)
    with transaction.atomic():
        appeal = _lock(appeal)
        if actor is None or not actor.is_authenticated or appeal.appellant_id != actor.pk:
            raise NotAllowed(_("Only the candidate who filed the appeal may withdraw it."))
        if appeal.status == A.WITHDRAWN:
            return appeal
        if appeal.status not in Appeal.OPEN_STATUSES:
            raise InvalidState(_("This appeal has been decided; the decision is binding (9.9.7)."))
        previous = appeal.status
        appeal.status, appeal.withdrawn_at, appeal.withdraw_reason = A.WITHDRAWN, timezone.now(), reason
        appeal.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
        audit_record(actor=actor, action="appeal.withdraw", obj=appeal, from_state=previous, to_state=A.WITHDRAWN, reason=reason)
    return appeal


# --- receipt and the appeal team (9.9.4–9.9.6) ------------------------------------------------


def appeal_receive(*, actor, appeal):
    """Staff acknowledge receipt (9.9.6 "sejak permohonan banding diterima"): the decision is due the scheme's
    working days after the day of receipt, on the working-day calendar (weekends, Indonesian public holidays,
    declared days off). Acknowledging again changes nothing."""
    with transaction.atomic():
        require_staff(actor)
        appeal = _lock(appeal)
        if appeal.received_at is not None:
            return appeal
        if appeal.status != A.FILED:
            raise InvalidState(_("This appeal was withdrawn."))
        if appeal.appellant_id == actor.pk:
            raise NotAllowed(_("You cannot handle your own appeal."))
        scheme = appeal.application.scheme
        now = timezone.now()
        appeal.received_at, appeal.received_by = now, actor
        appeal.decision_working_days = scheme.appeal_decision_working_days
        appeal.due_date = add_working_days(timezone.localdate(now), scheme.appeal_decision_working_days)
        appeal.status = A.RECEIVED
        appeal.save(update_fields=["received_at", "received_by", "decision_working_days", "due_date", "status"])
        audit_record(
            actor=actor, action="appeal.receive", obj=appeal, from_state=A.FILED, to_state=A.RECEIVED,
            data={"due_date": appeal.due_date.isoformat(), "working_days": appeal.decision_working_days},
        )
        notify(
            user=appeal.appellant, template="emails/certificates_appeal_received.txt",
            context={"appeal": appeal, "link": portal_link("certificates:my-appeal", appeal.pk)},
            key=f"appeal-received:{appeal.pk}",
        )
    return appeal


def panel_conflict_reason(user, appeal):
    """Why ``user`` may not sit on the team of this appeal (9.9.4: "tidak terlibat subjek yang dibanding"), or None.

    The candidate; anyone who assessed them or declared about them as assessor; every member (and the
    chair) of the technical team meeting that took the appealed decision; a member who declared a
    conflict with the candidate.
    """
    decision = appeal.decision
    if user.pk == appeal.appellant_id:
        return _("this is their own appeal")
    if assessor_users_of_application(appeal.application).filter(pk=user.pk).exists():
        return _("they assessed the candidate")
    meeting = decision.meeting
    if user.pk in (decision.decided_by_id, meeting.chair_id) or meeting.members.filter(pk=user.pk).exists():
        return _("they sat on the technical team meeting that took the appealed decision")
    if ImpartialityDeclaration.objects.filter(application_id=appeal.application_id, member=user).exists():
        return _("they declared a conflict of interest with the candidate")
    return None


def appeal_panel_form(*, actor, appeal, members):
    """Staff form the appeal team from users with the appeal-team role; no one involved in the appealed matter
    may sit on it (9.9.4), which is refused here, whatever the form offered. Members are added, never removed."""
    members = list({member.pk: member for member in members}.values())
    with transaction.atomic():
        require_staff(actor)
        appeal = _lock(appeal)
        current = set(appeal.panel_members.values_list("member_id", flat=True))
        wanted = {member.pk for member in members}
        if wanted and wanted == current:
            return appeal
        if appeal.status == A.FILED:
            raise InvalidState(_("Acknowledge receipt of the appeal first."))
        if appeal.status != A.RECEIVED:
            raise InvalidState(_("The appeal team is formed while the appeal is open."))
        if not members:
            raise InvalidState(_("Choose the members of the appeal team."))
        if not current <= wanted:
            raise InvalidState(_("A member of the appeal team stays on it; members can only be added."))
        for member in members:
            if not is_appeal_team(member):
                raise InvalidState(_("%(name)s is not a member of the appeal team.") % {"name": member.full_name or member.email})
            reason = panel_conflict_reason(member, appeal)
            if reason:
                raise NotAllowed(
                    _("%(name)s may not sit on this appeal team (9.9.4): %(reason)s.")
                    % {"name": member.full_name or member.email, "reason": reason}
                )
        added = [member for member in members if member.pk not in current]
        AppealPanelMember.objects.bulk_create(
            AppealPanelMember(appeal=appeal, member=member, appointed_by=actor) for member in added
        )
        audit_record(
            actor=actor, action="appeal.panel", obj=appeal, from_state=appeal.status, to_state=appeal.status,
            data={"members": sorted(wanted), "added": [m.pk for m in added]},
        )
        for member in added:
            notify(
                user=member, template="emails/certificates_appeal_panel.txt",
                context={"appeal": appeal, "link": portal_link("certificates:appeal-detail", appeal.pk)},
                key=f"appeal-panel:{appeal.pk}:{member.pk}",
            )
    return appeal


# --- the decision (9.9.7) ---------------------------------------------------------------------


def _amend_granted(actor, appeal, decision):
    previous = decision.outcome
    decision.original_outcome, decision.outcome, decision.amended_by = previous, Decision.Outcome.GRANTED, appeal
    decision.save(update_fields=["original_outcome", "outcome", "amended_by"])
    audit_record(
        actor=actor, action="decision.amend_by_appeal", obj=decision, from_state=previous, to_state=decision.outcome,
        reason=appeal.outcome_reason, data={"appeal": appeal.number, "appeal_decision": appeal.decision_number},
    )


def _order_reassessment(actor, appeal, decision):
    """Set the appealed assessment aside: its record and assignment are closed (kept, audited), the application is
    open for assessment again, and everyone who assessed the candidate or took the decision is excluded from the
    re-assessment."""
    application = Application.objects.select_for_update().get(pk=appeal.application_id)
    other = Application.objects.filter(
        applicant_id=application.applicant_id, scheme_id=application.scheme_id, status__in=Application.OPEN_STATUSES
    ).exclude(pk=application.pk).first()
    if other is not None:
        raise InvalidState(
            _("The candidate has another open application for this scheme (%(reference)s); it must end first.")
            % {"reference": other.reference or other.pk}
        )
    # Whoever took part in the appealed matter (9.9.4): the assessors of the candidate, and the chair, the members
    # and the decider of the technical team meeting (a team member may be a registered assessor as well).
    meeting = decision.meeting
    involved = set(assessor_users_of_application(application).values_list("pk", flat=True))
    involved.update(meeting.members.values_list("pk", flat=True))
    involved.update(pk for pk in (meeting.chair_id, decision.decided_by_id) if pk)
    appeal.excluded_assessors = sorted(involved)
    reason = str(_("Set aside by appeal %(number)s: re-assessment ordered (9.9.7).") % {"number": appeal.number})
    record = AssessmentRecord.objects.select_for_update().get(pk=decision.record_id)
    if record.status in AssessmentRecord.ACTIVE_STATUSES:
        # Withdrawn, as a reopened record is, so the new assessment can have its own record; the unit results
        # stay, and the recommendation is kept in the decision (``Decision.recommendation``) and the audit row.
        previous, recommendation = record.status, record.recommendation
        record.status, record.recommendation = AssessmentRecord.Status.WITHDRAWN, ""
        record.save(update_fields=["status", "recommendation", "updated_at"])
        audit_record(actor=actor, action="record.set_aside", obj=record, from_state=previous, to_state=record.status,
                     reason=reason, data={"appeal": appeal.number, "previous_recommendation": recommendation})
    assignment = Assignment.objects.select_for_update().get(pk=record.assignment_id)
    if assignment.status in Assignment.OPEN_STATUSES:
        previous = assignment.status
        assignment.status, assignment.removed_at, assignment.removed_reason = (
            Assignment.Status.REMOVED, timezone.now(), reason,
        )
        assignment.save(update_fields=["status", "removed_at", "removed_reason"])
        audit_record(actor=actor, action="assignment.remove", obj=assignment, from_state=previous,
                     to_state=assignment.status, reason=reason, data={"appeal": appeal.number})
    previous = application.status
    application.status = Application.Status.ACCEPTED
    application.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="application.reopen_for_reassessment", obj=application, from_state=previous,
                 to_state=application.status, reason=reason, data={"appeal": appeal.number})
    decision.original_outcome, decision.amended_by = decision.outcome, appeal
    decision.save(update_fields=["original_outcome", "amended_by"])
    audit_record(actor=actor, action="decision.set_aside_by_appeal", obj=decision, from_state=decision.outcome,
                 to_state="set_aside", reason=reason, data={"appeal": appeal.number})


def appeal_decide(*, actor, appeal, outcome, reason):
    """A member of the appeal team decides; binding on both sides (9.9.7) and audited. The decision is numbered.

    Rejected: the decision stands. Granted: the decision becomes "sertifikat diberikan". Re-assessment:
    the appealed assessment is set aside for a new one by a different assessor.
    """
    reason = clean_text(reason)
    with transaction.atomic():
        appeal = _lock(appeal)
        if not is_appeal_team(actor) or not appeal.panel_members.filter(member=actor).exists():
            raise NotAllowed(_("Only a member of this appeal's team may decide it."))
        if appeal.status == A.DECIDED:
            if appeal.outcome == outcome:
                return appeal
            raise InvalidState(_("This appeal has been decided; the decision is binding (9.9.7)."))
        if appeal.status != A.RECEIVED:
            raise InvalidState(_("This appeal was withdrawn."))
        conflict = panel_conflict_reason(actor, appeal)
        if conflict:
            raise NotAllowed(_("You may not decide this appeal (9.9.4): %(reason)s.") % {"reason": conflict})
        if outcome not in O.values:
            raise InvalidState(_("Choose the outcome of the appeal."))
        if not reason:
            raise InvalidState(_("Give the reasons of the appeal decision."))
        decision = Decision.objects.select_for_update().get(pk=appeal.decision_id)
        now = timezone.now()
        appeal.outcome, appeal.outcome_reason = outcome, reason
        appeal.decided_at, appeal.decided_by, appeal.status = now, actor, A.DECIDED
        appeal.decision_number = next_document_number("appeal", timezone.localdate(now))
        if outcome == O.GRANTED:
            _amend_granted(actor, appeal, decision)
        elif outcome == O.REASSESSMENT:
            _order_reassessment(actor, appeal, decision)
        appeal.save()
        audit_record(
            actor=actor, action="appeal.decide", obj=appeal, from_state=A.RECEIVED, to_state=A.DECIDED, reason=reason,
            data={
                "outcome": outcome, "number": appeal.decision_number, "decision": decision.pk, "binding": "9.9.7",
                "due_date": appeal.due_date.isoformat(), "on_time": timezone.localdate(now) <= appeal.due_date,
            },
        )
        recipients = [(appeal.appellant, "certificates:my-appeal")] + [(user, "certificates:appeal-detail") for user in staff_users()]
        for user, url_name in recipients:
            notify(
                user=user, template="emails/certificates_appeal_decided.txt",
                context={"appeal": appeal, "for_staff": user.pk != appeal.appellant_id,
                         "link": portal_link(url_name, appeal.pk)},
                key=f"appeal-decided:{appeal.pk}:{user.pk}",
            )
    return appeal


def appeal_certificate_issue(*, actor, appeal, signatory, date=None):
    """After an appeal granted the certificate: staff issue the SK based on the appeal decision (numbered like
    any SK, 9.4.5 read with 9.9.7), then the certificate through the one issuing path (9.4.6). Again: the
    same certificate."""
    from .issuance import certificate_issue

    with transaction.atomic():
        require_staff(actor)
        appeal = _lock(appeal)
        if appeal.status != A.DECIDED or appeal.outcome != O.GRANTED:
            raise InvalidState(_("Only an appeal that granted the certificate leads to an SK and a certificate."))
        letter = DecisionLetter.objects.filter(appeal=appeal).first()
        if letter is None:
            signatory = Signatory.objects.filter(pk=signatory.pk, active=True).first() if signatory else None
            if signatory is None:
                raise InvalidState(_("Choose an active signatory."))
            day = date or timezone.localdate()
            if day < timezone.localdate(appeal.decided_at):
                raise InvalidState(_("The SK cannot be dated before the appeal decision."))
            letter = DecisionLetter.objects.create(
                appeal=appeal, number=next_document_number("letter", day), date=day, signatory=signatory,
                signatory_name=signatory.name, signatory_position=signatory.position, issued_by=actor,
            )
            audit_record(
                actor=actor, action="letter.issue", obj=letter, to_state="issued",
                data={"appeal": appeal.number, "number": letter.number, "signatory": signatory.pk},
            )
            from ..tasks import build_letter_pdf

            build_letter_pdf.delay_on_commit(letter.pk)
        certificate = certificate_issue(actor=actor, decision=appeal.decision)
    return certificate


def appeal_reassessment_assign(*, actor, appeal, schedule, assessor):
    """Put the candidate of a re-assessment ordered on appeal on a session with an assessor who had no part in
    the appealed assessment (9.9.4): anyone who assessed them before is refused. The assessment services do
    the scheduling (competence, registration, verified TUK, seats) and the assessor declares as usual."""
    with transaction.atomic():
        require_staff(actor)
        appeal = _lock(appeal)
        if appeal.status != A.DECIDED or appeal.outcome != O.REASSESSMENT:
            raise InvalidState(_("This appeal did not order a re-assessment."))
        if assessor.user_id in set(appeal.excluded_assessors):
            raise NotAllowed(
                _(
                    "%(name)s took part in the appealed assessment or decision; the re-assessment needs a different "
                    "assessor (9.9.4)."
                )
                % {"name": assessor.user}
            )
        application = Application.objects.get(pk=appeal.application_id)
        current = Assignment.objects.filter(application=application, status__in=Assignment.OPEN_STATUSES).first()
        if current is not None and current.assessor_id == assessor.pk:
            return current
        if current is None and Assignment.objects.filter(schedule=schedule, application=application).exists():
            # That session holds the appealed assessment (its plan and record); a new one starts afresh.
            raise InvalidState(_("The candidate was already assessed in this session; choose another session."))
        assignment = current or assessment_services.schedule_add_candidate(
            actor=actor, schedule=schedule, application=application
        )
        assignment = assessment_services.assignment_assign_assessor(actor=actor, assignment=assignment, assessor=assessor)
        audit_record(
            actor=actor, action="appeal.reassessment_assign", obj=appeal, to_state=appeal.status,
            data={"assignment": assignment.pk, "schedule": assignment.schedule_id, "assessor": assessor.pk},
        )
    return assignment


def excluded_assessor_reason(record):
    """Why the technical team may not decide on this record: it is the re-assessment ordered on appeal, but by an
    assessor the appeal excluded (possible if staff assigned them through the ordinary scheduling). Or None."""
    appeal = (
        Appeal.objects.filter(application_id=record.application_id, status=A.DECIDED, outcome=O.REASSESSMENT)
        .order_by("-decided_at")
        .first()
    )
    if appeal is None or record.created_at < appeal.decided_at:
        return None
    assessor_user = User.objects.filter(assessor_profile__pk=record.assessor_id).values_list("pk", flat=True).first()
    if assessor_user in set(appeal.excluded_assessors):
        return _(
            "This re-assessment ordered by appeal %(number)s was done by someone who took part in the appealed "
            "assessment or decision; it needs a different assessor (9.9.4)."
        ) % {"number": appeal.number}
    return None
