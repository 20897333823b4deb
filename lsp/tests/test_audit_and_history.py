import pytest
from django.urls import reverse

from lsp.audit import audit_history, audit_record
from lsp.models import AuditEvent, Role


@pytest.mark.django_db
def test_audit_record_keeps_actor_action_states_and_reason(make_user):
    staff = make_user(Role.STAFF)
    subject = make_user(Role.APPLICANT)
    event = audit_record(
        actor=staff, action="account.suspend", obj=subject, from_state="active", to_state="suspended", reason="uji"
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.action, stored.from_state, stored.to_state, stored.reason) == (
        staff, "account.suspend", "active", "suspended", "uji"
    )
    assert stored.object_id == str(subject.pk)
    assert list(audit_history(subject)) == [stored]


@pytest.mark.django_db
def test_history_view_is_for_staff_only(client_as, make_user):
    subject = make_user(Role.APPLICANT)
    audit_record(actor=None, action="account.register", obj=subject, to_state="unverified", reason="alasan-unik")
    url = reverse("object-history", args=["lsp", "user", subject.pk])
    staff = client_as(Role.STAFF)
    page = staff.get(url)
    assert page.status_code == 200
    assert "alasan-unik" in page.content.decode()
    assert staff.get(reverse("object-history", args=["lsp", "user", 999999])).status_code == 404
    assert staff.get(reverse("object-history", args=["lsp", "nosuchmodel", 1])).status_code == 404


@pytest.mark.django_db
def test_history_view_refuses_other_roles(client_as, make_user):
    subject = make_user(Role.APPLICANT)
    client = client_as(Role.APPLICANT)
    assert client.get(reverse("object-history", args=["lsp", "user", subject.pk])).status_code == 403


@pytest.mark.django_db
def test_audit_rows_cannot_be_deleted_or_changed_in_the_admin(client_as):
    client = client_as(Role.ADMIN, is_staff=True, is_superuser=True)
    event = audit_record(actor=client.user, action="x", obj=client.user)
    assert client.get(reverse("admin:lsp_auditevent_delete", args=[event.pk])).status_code == 403
    client.post(reverse("admin:lsp_auditevent_change", args=[event.pk]), {"action": "changed"})
    assert AuditEvent.objects.get(pk=event.pk).action == "x"
