"""Warnings, suspension, reinstatement and revocation (9.5), and the return of the certificate (9.8.4).

``sanction_case_open`` (a ground of the scheme, 9.5.1) → ``sanction_warn`` (numbered, dated, emailed)
→ ``certificate_suspend`` ⇄ ``certificate_reinstate`` → ``certificate_revoke`` (after the warnings the
scheme asks for, or directly where its policy allows, 9.5.2), or ``sanction_case_close`` without a
sanction. The certificate's status changes in the same transaction, so the public verification page
shows it on the very next request; the stored PDF is rebuilt with its mark after commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.notifications import notify
from lsp.numbering import counter_next
from schemes.models import SchemeClause
from schemes.selectors import scheme_suspension_grounds

from ..models import Certificate, SanctionCase, SanctionPolicy, SanctionStep
from ._common import clean_text, portal_link, require_staff
from .status import set_certificate_status

C = SanctionCase.Status
K = SanctionStep.Kind
CS = Certificate.Status

# The rule of certificate use (9.8) that says what a holder does once suspended or revoked.
RETURN_RULE_CLAUSE = "9.8.4"


def sanction_policy_for(scheme):
    """The scheme's policy (9.5.2), or the default one (unsaved) when the admin has not set it."""
    return SanctionPolicy.objects.filter(scheme=scheme).first() or SanctionPolicy(scheme=scheme)


def return_duty_text(certificate):
    """The holder's duty after suspension or revocation (9.8.4), in the words they agreed to, else the scheme's."""
    agreement = certificate.agreement_or_none()
    for rule in agreement.use_rules if agreement else ():
        if rule.get("clause") == RETURN_RULE_CLAUSE:
            return rule["text"]
    rule = SchemeClause.objects.filter(
        scheme_id=certificate.scheme_id, kind=SchemeClause.Kind.USE_RULE, clause=RETURN_RULE_CLAUSE
    ).first()
    if rule is not None:
        return rule.text
    return str(_("Stop using or claiming the certificate and return it to the LSP (9.8.4)."))


def _lock_case(case):
    return SanctionCase.objects.select_for_update().get(pk=case.pk)


def _lock_certificate(certificate_id):
    return Certificate.objects.select_for_update().get(pk=certificate_id)


def _check_date(day):
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidState(_("The effective date cannot be in the future."))
    return day


def _require_text(value, message):
    value = clean_text(value)
    if not value:
        raise InvalidState(message)
    return value


def _notify_holder(certificate, case, step):
    notify(
        user=certificate.holder,
        template="emails/certificates_sanction_step.txt",
        context={
            "certificate": certificate, "case": case, "step": step,
            "link": portal_link("certificates:my-certificate", certificate.pk),
        },
        key=f"sanction-step:{step.pk}",
    )


def sanction_case_open(*, actor, certificate, ground, description, duty=None):
    """Staff open a case against a holder on one of the scheme's grounds (9.5.1), naming the breached duty
    (7.2) where the ground is a breach of the holder's duties. One open case per certificate."""
    description = _require_text(description, _("Describe what the holder did."))
    with transaction.atomic():
        require_staff(actor)
        certificate = _lock_certificate(certificate.pk)
        if certificate.holder_id == actor.pk:
            raise NotAllowed(_("You cannot open a case on your own certificate."))
        active = SanctionCase.objects.filter(certificate=certificate, status__in=SanctionCase.ACTIVE_STATUSES).first()
        if active is not None:
            raise InvalidState(_("This certificate already has an open sanction case (%(number)s).") % {"number": active.number})
        if certificate.public_status() != CS.ACTIVE:
            raise InvalidState(_("Only a valid certificate can be warned, suspended or revoked."))
        if ground is None or not scheme_suspension_grounds(scheme=certificate.scheme).filter(pk=ground.pk).exists():
            raise InvalidState(_("Choose one of the scheme's grounds for suspension or revocation (9.5.1)."))
        if duty is not None and not SchemeClause.objects.filter(
            pk=duty.pk, scheme_id=certificate.scheme_id, kind=SchemeClause.Kind.DUTY
        ).exists():
            raise InvalidState(_("Choose one of the scheme's duties of a certificate holder (7.2)."))
        year = timezone.localdate().year
        try:
            with transaction.atomic():
                case = SanctionCase.objects.create(
                    number=f"SAN/{year}/{counter_next(f'sanction:{year}'):04d}",
                    certificate=certificate, ground=ground, ground_text=f"{ground.clause} {ground.text}".strip(),
                    duty=duty, duty_text=f"{duty.clause} {duty.text}".strip() if duty else "",
                    description=description, opened_by=actor,
                )
        except IntegrityError:
            raise InvalidState(_("This certificate already has an open sanction case.")) from None
        audit_record(
            actor=actor, action="sanction.open", obj=case, to_state=C.OPEN, reason=description,
            data={"certificate": certificate.pk, "ground": ground.clause, "duty": duty.clause if duty else ""},
        )
    return case


def sanction_warn(*, actor, case, reason, effective_date=None):
    """A numbered, dated warning to the holder, emailed (9.5.2). The same warning sent twice (same reason and
    date, e.g. a double click) is returned unchanged."""
    reason = _require_text(reason, _("Give the reason for the warning."))
    with transaction.atomic():
        require_staff(actor)
        case = _lock_case(case)
        last = case.steps.filter(kind=K.WARNING).order_by("-warning_number").first()
        day = _check_date(effective_date)
        if last is not None and last.reason == reason and last.effective_date == day:
            return last
        if case.status != C.OPEN:
            raise InvalidState(_("Warnings are given while the case is open, before a suspension."))
        certificate = _lock_certificate(case.certificate_id)
        number = (last.warning_number if last else 0) + 1
        step = SanctionStep.objects.create(
            case=case, kind=K.WARNING, warning_number=number, effective_date=day, reason=reason, created_by=actor
        )
        audit_record(
            actor=actor, action="sanction.warn", obj=case, from_state=case.status, to_state=case.status, reason=reason,
            data={"warning": number, "date": day.isoformat()},
        )
        _notify_holder(certificate, case, step)
    return step


def certificate_suspend(*, actor, case, reason, decision_reference, effective_date=None):
    """Suspend (membekukan) the certificate of a case (9.5): the public page says "suspended" on the very next
    request, the holder is told to stop using it and return it (9.8.4). Opposite: ``certificate_reinstate``.

    Without a prior warning only where the scheme's policy allows it (9.5.2).
    """
    reason = _require_text(reason, _("Give the reason for the suspension."))
    decision_reference = _require_text(decision_reference, _("Give the reference of the LSP's decision."))
    with transaction.atomic():
        require_staff(actor)
        case = _lock_case(case)
        if case.status == C.SUSPENDED:
            return case
        if case.status != C.OPEN:
            raise InvalidState(_("This case is closed."))
        certificate = _lock_certificate(case.certificate_id)
        if certificate.public_status() != CS.ACTIVE:
            raise InvalidState(_("Only a valid certificate can be suspended."))
        policy = sanction_policy_for(certificate.scheme)
        if not policy.direct_suspension_allowed and not case.steps.filter(kind=K.WARNING).exists():
            raise InvalidState(
                _("This scheme suspends a certificate only after a warning (%(clause)s). Warn the holder first.")
                % {"clause": policy.clause}
            )
        day = _check_date(effective_date)
        step = SanctionStep.objects.create(
            case=case, kind=K.SUSPENSION, effective_date=day, reason=reason, decision_reference=decision_reference,
            return_duty=return_duty_text(certificate), created_by=actor,
        )
        case.status = C.SUSPENDED
        case.save(update_fields=["status"])
        audit_record(
            actor=actor, action="sanction.suspend", obj=case, from_state=C.OPEN, to_state=C.SUSPENDED, reason=reason,
            data={"step": step.pk, "decision": decision_reference, "date": day.isoformat()},
        )
        set_certificate_status(
            certificate, CS.SUSPENDED, actor=actor, action="certificate.suspend", reason=reason,
            data={"case": case.number, "decision": decision_reference, "effective_date": day.isoformat()},
        )
        _notify_holder(certificate, case, step)
    return case


def certificate_reinstate(*, actor, case, reason, decision_reference, effective_date=None):
    """Lift the suspension of a case: the certificate is valid again (shown at once) and the case is closed.
    The reinstatement step points at the suspension it lifts. Opposite: ``certificate_suspend``."""
    reason = _require_text(reason, _("Give the reason for the reinstatement."))
    decision_reference = _require_text(decision_reference, _("Give the reference of the LSP's decision."))
    with transaction.atomic():
        require_staff(actor)
        case = _lock_case(case)
        suspension = case.steps.filter(kind=K.SUSPENSION).order_by("-created_at", "-id").first()
        if case.status == C.CLOSED and suspension is not None and hasattr(suspension, "lifted_by"):
            return case
        if case.status != C.SUSPENDED:
            raise InvalidState(_("Only a suspended certificate can be reinstated."))
        certificate = _lock_certificate(case.certificate_id)
        day = _check_date(effective_date)
        step = SanctionStep.objects.create(
            case=case, kind=K.REINSTATEMENT, effective_date=day, reason=reason, decision_reference=decision_reference,
            lifts=suspension, created_by=actor,
        )
        case.status, case.closed_at, case.closed_by = C.CLOSED, timezone.now(), actor
        case.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=actor, action="sanction.reinstate", obj=case, from_state=C.SUSPENDED, to_state=C.CLOSED,
            reason=reason, data={"step": step.pk, "lifts": suspension.pk, "decision": decision_reference},
        )
        set_certificate_status(
            certificate, CS.ACTIVE, actor=actor, action="certificate.reinstate", reason=reason,
            data={"case": case.number, "decision": decision_reference, "effective_date": day.isoformat()},
        )
        _notify_holder(certificate, case, step)
    return case


def certificate_revoke(*, actor, case, reason, decision_reference, effective_date=None):
    """Revoke (mencabut) the certificate: final. After the warnings the scheme's policy asks for (LSP Renbang
    9.5.2: a warning ignored), or directly where it allows (LSP TMI 9.5.2: "secara langsung"). The holder is
    told to stop using it and return it (9.8.4); the public page says "revoked" at once."""
    reason = _require_text(reason, _("Give the reason for the revocation."))
    decision_reference = _require_text(decision_reference, _("Give the reference of the LSP's decision."))
    with transaction.atomic():
        require_staff(actor)
        case = _lock_case(case)
        if case.status == C.REVOKED:
            return case
        if case.status not in SanctionCase.ACTIVE_STATUSES:
            raise InvalidState(_("This case is closed."))
        certificate = _lock_certificate(case.certificate_id)
        if certificate.status not in (CS.ACTIVE, CS.SUSPENDED) or (
            certificate.status == CS.ACTIVE and certificate.public_status() != CS.ACTIVE
        ):
            raise InvalidState(_("Only a valid or suspended certificate can be revoked."))
        policy = sanction_policy_for(certificate.scheme)
        warnings = case.steps.filter(kind=K.WARNING).count()
        if not policy.direct_revocation_allowed and warnings < policy.warnings_before_revocation:
            raise InvalidState(
                _(
                    "This scheme revokes a certificate only after %(needed)s ignored warning(s) (%(clause)s); "
                    "this case has %(given)s."
                )
                % {"needed": policy.warnings_before_revocation, "clause": policy.clause, "given": warnings}
            )
        day = _check_date(effective_date)
        step = SanctionStep.objects.create(
            case=case, kind=K.REVOCATION, effective_date=day, reason=reason, decision_reference=decision_reference,
            return_duty=return_duty_text(certificate), created_by=actor,
        )
        previous = case.status
        case.status, case.closed_at, case.closed_by = C.REVOKED, timezone.now(), actor
        case.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=actor, action="sanction.revoke", obj=case, from_state=previous, to_state=C.REVOKED, reason=reason,
            data={"step": step.pk, "decision": decision_reference, "warnings": warnings, "date": day.isoformat()},
        )
        set_certificate_status(
            certificate, CS.REVOKED, actor=actor, action="certificate.revoke", reason=reason,
            data={"case": case.number, "decision": decision_reference, "effective_date": day.isoformat()},
        )
        _notify_holder(certificate, case, step)
    return case


def sanction_case_close(*, actor, case, reason):
    """Close an open case without a sanction (the ground was not proven, or the warnings were heeded)."""
    reason = _require_text(reason, _("Give the reason for closing the case."))
    with transaction.atomic():
        require_staff(actor)
        case = _lock_case(case)
        if case.status == C.CLOSED:
            return case
        if case.status == C.SUSPENDED:
            raise InvalidState(_("The certificate is suspended: reinstate or revoke it to end the case."))
        if case.status != C.OPEN:
            raise InvalidState(_("This case is closed."))
        step = SanctionStep.objects.create(
            case=case, kind=K.CLOSURE, effective_date=timezone.localdate(), reason=reason, created_by=actor
        )
        case.status, case.closed_at, case.closed_by = C.CLOSED, timezone.now(), actor
        case.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=actor, action="sanction.close", obj=case, from_state=C.OPEN, to_state=C.CLOSED, reason=reason,
            data={"step": step.pk},
        )
    return case


def certificate_return_record(*, actor, step, returned_on=None, note=""):
    """Staff record the day the holder returned the suspended or revoked certificate (9.8.4). Once."""
    note = clean_text(note)
    with transaction.atomic():
        require_staff(actor)
        step = SanctionStep.objects.select_for_update().get(pk=step.pk)
        if step.kind not in SanctionStep.RETURN_KINDS:
            raise InvalidState(_("A certificate is returned after a suspension or a revocation (9.8.4)."))
        if step.returned_on is not None:
            return step
        day = returned_on or timezone.localdate()
        if day > timezone.localdate():
            raise InvalidState(_("The return cannot be dated in the future."))
        if day < step.effective_date:
            raise InvalidState(_("The certificate cannot have been returned before the sanction took effect."))
        step.returned_on, step.return_note, step.return_recorded_by = day, note, actor
        step.save(update_fields=["returned_on", "return_note", "return_recorded_by"])
        audit_record(
            actor=actor, action="sanction.certificate_returned", obj=step.case, to_state="returned", reason=note,
            data={"step": step.pk, "date": day.isoformat()},
        )
    return step
