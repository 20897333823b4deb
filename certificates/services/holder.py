"""After issue, before hand-over: the holder's use agreement (9.8, 7.2.4), BNSP numbers, hand-over (9.4.7)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from schemes.selectors import scheme_ethics_items, scheme_use_rules

from ..models import Certificate, Handover, UseAgreement
from ._common import clean_text, is_staff, require_staff


def _lock(certificate):
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def _clauses(queryset):
    return [
        {"clause": clause.clause, "heading": clause.heading, "text": clause.text, "text_en": clause.text_en}
        for clause in queryset
    ]


def use_agreement_sign(*, actor, certificate, agree_use_rules, agree_ethics, ip_address=None, user_agent=""):
    """The holder agrees on line to the rules of certificate use (9.8.1–9.8.4) and the scheme's code of
    ethics (7.2.4); the texts they agreed to, the time and the IP address are kept. Once."""
    with transaction.atomic():
        certificate = _lock(certificate)
        if actor is None or not actor.is_authenticated or certificate.holder_id != actor.pk:
            raise NotAllowed(_("Only the holder of the certificate may sign its use agreement."))
        existing = certificate.agreement_or_none()
        if existing is not None:
            return existing
        if certificate.status != Certificate.Status.ACTIVE:
            raise InvalidState(_("This certificate is not valid, so it cannot be received."))
        if not (agree_use_rules and agree_ethics):
            raise InvalidState(_("Agree to both the rules of certificate use and the code of ethics."))
        agreement = UseAgreement.objects.create(
            certificate=certificate,
            holder=actor,
            use_rules=_clauses(scheme_use_rules(scheme=certificate.scheme)),
            ethics=_clauses(scheme_ethics_items(scheme=certificate.scheme)),
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:255],
        )
        audit_record(
            actor=actor, action="certificate.use_agreement", obj=certificate, to_state="agreed",
            data={"ip": ip_address or "", "rules": len(agreement.use_rules), "ethics": len(agreement.ethics)},
        )
    return agreement


def handover_problems(certificate, method):
    """What still stands in the way of handing the certificate over (9.4.7: every requirement met)."""
    problems = []
    if certificate.agreement_or_none() is None:
        problems.append(_("The holder has not signed the certificate use agreement (9.8)."))
    if certificate.public_status() != Certificate.Status.ACTIVE:
        problems.append(_("The certificate is not valid."))
    if not certificate.application.is_payment_settled:
        problems.append(_("The certification fee is not settled."))
    if not certificate.pdf:
        problems.append(_("The certificate PDF is not ready yet."))
    if method in Handover.PHYSICAL and not certificate.blanko_number:
        problems.append(_("Enter the BNSP blanko number of the printed certificate first."))
    return problems


def certificate_hand_over(*, actor, certificate, method, handed_over_on=None, note=""):
    """Record the hand-over (collected, posted or digital) once every requirement is met (9.4.7).

    Staff record any way; the holder's own first download records the digital one.
    Once per way: recording it again returns the first record unchanged.
    """
    note = clean_text(note)
    with transaction.atomic():
        certificate = _lock(certificate)
        if method not in Handover.Method.values:
            raise InvalidState(_("Choose how the certificate was handed over."))
        holder_digital = method == Handover.Method.DIGITAL and actor.pk == certificate.holder_id
        if not (is_staff(actor) or holder_digital):
            raise NotAllowed(_("Only LSP staff may record a hand-over."))
        existing = certificate.handovers.filter(method=method).first()
        if existing is not None:
            return existing
        problems = handover_problems(certificate, method)
        if problems:
            raise InvalidState(" ".join(str(problem) for problem in problems))
        day = handed_over_on or timezone.localdate()
        if day > timezone.localdate():
            raise InvalidState(_("A hand-over cannot be dated in the future."))
        handover = Handover.objects.create(
            certificate=certificate, method=method, handed_over_on=day, note=note, recorded_by=actor
        )
        audit_record(
            actor=actor, action="certificate.hand_over", obj=certificate, to_state=method, reason=note,
            data={"date": day.isoformat()},
        )
    return handover


def certificate_bnsp_numbers_set(*, actor, certificate, registration_number, blanko_number):
    """Staff enter (or import) the BNSP registration number and the blanko number of a certificate."""
    registration_number, blanko_number = clean_text(registration_number), clean_text(blanko_number)
    with transaction.atomic():
        require_staff(actor)
        certificate = _lock(certificate)
        before = {"registration": certificate.bnsp_registration_number, "blanko": certificate.blanko_number}
        after = {"registration": registration_number, "blanko": blanko_number}
        if before == after:
            return certificate
        if certificate.handovers.filter(method__in=Handover.PHYSICAL).exists() and before["blanko"] != blanko_number:
            raise InvalidState(_("The printed certificate has been handed over; its blanko number cannot change."))
        certificate.bnsp_registration_number, certificate.blanko_number = registration_number, blanko_number
        try:
            with transaction.atomic():
                certificate.save(update_fields=["bnsp_registration_number", "blanko_number"])
        except IntegrityError:
            raise InvalidState(_("Another certificate already has this registration or blanko number.")) from None
        audit_record(
            actor=actor, action="certificate.bnsp_numbers", obj=certificate,
            from_state=f"{before['registration']}/{before['blanko']}", to_state=f"{registration_number}/{blanko_number}",
        )
    return certificate


def bnsp_numbers_import(*, actor, letter, rows):
    """Apply (certificate number, registration number, blanko number) rows to the SK's certificates.

    Each row is its own change (audited); rows naming a certificate outside this SK, or refused,
    are reported back as problems. Returns (number of certificates changed, [problems]).
    """
    require_staff(actor)
    certificates = {certificate.number: certificate for certificate in letter.certificates.all()}
    changed, problems = 0, []
    for number, registration, blanko in rows:
        certificate = certificates.get(number)
        if certificate is None:
            problems.append(_("%(number)s: not a certificate of this SK.") % {"number": number})
            continue
        before = (certificate.bnsp_registration_number, certificate.blanko_number)
        try:
            updated = certificate_bnsp_numbers_set(
                actor=actor, certificate=certificate, registration_number=registration, blanko_number=blanko
            )
        except InvalidState as error:
            problems.append(f"{number}: {error}")
            continue
        changed += before != (updated.bnsp_registration_number, updated.blanko_number)
    return changed, problems
