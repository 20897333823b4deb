"""State changes of the assessment registries. One function per change, audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import DomainError, NotAllowed
from lsp.models import Role

from ..models import Tuk, TukVerification


def _require_staff(actor):
    if not actor.has_role(Role.STAFF, Role.ADMIN):
        raise NotAllowed(_("Only LSP staff may do this."))


@transaction.atomic
def tuk_create(*, actor, **fields):
    _require_staff(actor)
    tuk = Tuk.objects.create(**fields)
    audit_record(actor=actor, action="tuk.create", obj=tuk, to_state="unverified")
    return tuk


@transaction.atomic
def tuk_verify(*, actor, tuk_id, verified_on, valid_until, checklist_notes):
    """Record that staff verified a TUK (9.3.2); it may host tests until ``valid_until``."""
    _require_staff(actor)
    tuk = Tuk.objects.select_for_update().get(pk=tuk_id)
    if valid_until < verified_on:
        raise DomainError(_("The verification cannot end before the day it was done."))
    if not checklist_notes.strip():
        raise DomainError(_("Write what was checked at the TUK."))
    was_verified = tuk.is_verified_on(verified_on)
    verification = TukVerification.objects.create(
        tuk=tuk, verified_on=verified_on, valid_until=valid_until, verified_by=actor, checklist_notes=checklist_notes
    )
    audit_record(
        actor=actor,
        action="tuk.verify",
        obj=tuk,
        from_state="verified" if was_verified else "unverified",
        to_state=f"verified until {valid_until:%Y-%m-%d}",
        reason=checklist_notes,
    )
    return verification
