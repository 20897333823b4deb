"""The one way to record a state change, and to read an object's history."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def audit_record(*, actor, action, obj, from_state="", to_state="", reason="", data=None):
    """Write one audit row. Call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=data or {},
    )


def audit_history(obj):
    """The audit rows of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")
