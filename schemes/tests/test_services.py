"""Status changes of a scheme (services.scheme_set_status) and the rules they share with the admin."""

import pytest

from lsp.errors import InvalidState
from lsp.models import AuditEvent
from schemes.models import Scheme
from schemes.services import scheme_set_status

pytestmark = pytest.mark.usefixtures("english_messages")


def test_retire_then_publish_again_with_audit_rows(tmi, make_user):
    actor = make_user("admin")
    retired = scheme_set_status(scheme=tmi, status=Scheme.Status.RETIRED, actor=actor, reason="Replaced")
    assert retired.status == "retired"
    event = AuditEvent.objects.get(action="scheme.status_changed")
    assert (event.actor, event.from_state, event.to_state, event.reason) == (actor, "active", "retired", "Replaced")

    scheme_set_status(scheme=tmi, status=Scheme.Status.ACTIVE, actor=actor)
    tmi.refresh_from_db()
    assert tmi.status == "active"
    assert AuditEvent.objects.filter(action="scheme.status_changed").count() == 2


def test_same_status_twice_changes_nothing(tmi):
    scheme_set_status(scheme=tmi, status=Scheme.Status.ACTIVE)
    assert not AuditEvent.objects.filter(action="scheme.status_changed").exists()


def test_publishing_without_units_or_alternatives_is_refused(tmi):
    scheme_set_status(scheme=tmi, status=Scheme.Status.DRAFT)
    tmi.units.all().delete()
    tmi.prerequisite_alternatives.all().delete()
    with pytest.raises(InvalidState) as refused:
        scheme_set_status(scheme=tmi, status=Scheme.Status.ACTIVE)
    assert "unit of competency" in str(refused.value) and "prerequisite alternative" in str(refused.value)
    tmi.refresh_from_db()
    assert tmi.status == "draft"


def test_unknown_status_is_refused(tmi):
    with pytest.raises(InvalidState):
        scheme_set_status(scheme=tmi, status="published")
