"""Registration with email verification, login by email, lockout, password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from lsp.models import AuditEvent, Notification, Role, User
from lsp.tests.factories import TEST_PASSWORD


def _register(client, email="ani@example.test", password="Sangat-Rahasia-77"):
    return client.post(
        reverse("register"),
        {"full_name": "Ani Wijaya", "email": email, "password1": password, "password2": password},
    )


def _link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.mark.django_db
class TestRegistration:
    def test_register_creates_an_inactive_applicant_and_emails_a_link(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = _register(client)
        assert response.status_code == 200
        user = User.objects.get(email="ani@example.test")
        assert not user.is_active
        assert user.has_role(Role.APPLICANT)
        assert len(mail.outbox) == 1
        assert "/accounts/verify/" in mail.outbox[0].body
        # The message is written in the language the applicant registered in (Indonesian by default).
        assert "Verifikasi" in mail.outbox[0].subject
        assert AuditEvent.objects.filter(action="account.register", object_id=str(user.pk)).exists()

    def test_cannot_log_in_before_verifying(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _register(client)
        response = client.post(reverse("login"), {"username": "ani@example.test", "password": "Sangat-Rahasia-77"})
        assert response.status_code == 200
        assert "belum aktif" in response.content.decode()

    def test_verification_link_activates_once(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _register(client)
        link = _link_in(mail.outbox[0])
        response = client.get(link, follow=True)
        assert User.objects.get(email="ani@example.test").is_active
        assert "terverifikasi" in response.content.decode()
        # A second click changes nothing and is not an error.
        client.get(link)
        assert AuditEvent.objects.filter(action="account.verify_email").count() == 1
        response = client.post(
            reverse("login"), {"username": "ani@example.test", "password": "Sangat-Rahasia-77"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard")

    def test_a_tampered_link_is_refused(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _register(client)
        link = _link_in(mail.outbox[0])
        response = client.get(link[:-3] + "abc/", follow=True)
        assert not User.objects.get(email="ani@example.test").is_active
        assert "tidak valid" in response.content.decode()

    def test_duplicate_email_and_weak_password_are_refused(self, client, make_user):
        make_user(Role.APPLICANT, email="ada@example.test")
        response = _register(client, email="ada@example.test", password="123")
        page = response.content.decode()
        assert "sudah ada" in page
        assert User.objects.filter(email="ada@example.test").count() == 1
        assert Notification.objects.count() == 0


@pytest.mark.django_db
class TestLogin:
    def test_login_by_email_is_case_insensitive_for_the_address(self, client, make_user):
        make_user(Role.STAFF, email="rina@example.test")
        response = client.post(reverse("login"), {"username": "RINA@example.test", "password": TEST_PASSWORD})
        assert response.status_code == 302

    def test_lockout_after_repeated_failures_says_when_to_try_again(self, client, make_user, settings):
        make_user(Role.STAFF, email="rina@example.test")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(reverse("login"), {"username": "rina@example.test", "password": "wrong"})
            assert response.status_code == 200
        response = client.post(reverse("login"), {"username": "rina@example.test", "password": "wrong"})
        assert response.status_code == 429
        page = response.content.decode()
        assert "Coba lagi setelah" in page
        assert re.search(r"\d{2}:\d{2} WIB", page)
        # Even the right password is refused during the cool-off.
        response = client.post(reverse("login"), {"username": "rina@example.test", "password": TEST_PASSWORD})
        assert response.status_code == 429

    def test_lockout_is_per_user_and_ip(self, client, make_user, settings):
        make_user(Role.STAFF, email="rina@example.test")
        make_user(Role.STAFF, email="budi@example.test")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "rina@example.test", "password": "wrong"})
        response = client.post(reverse("login"), {"username": "budi@example.test", "password": TEST_PASSWORD})
        assert response.status_code == 302
        other_ip = client.post(
            reverse("login"), {"username": "rina@example.test", "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.8.7"
        )
        assert other_ip.status_code == 302

    def test_logout_is_post_only(self, client_as):
        client = client_as(Role.APPLICANT)
        assert client.get(reverse("logout")).status_code == 405
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, make_user):
    make_user(Role.APPLICANT, email="ani@example.test")
    client.post(reverse("password_reset"), {"email": "ani@example.test"})
    assert len(mail.outbox) == 1
    link = _link_in(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Baru-Sekali-99", "new_password2": "Baru-Sekali-99"})
    assert response.status_code == 302
    assert User.objects.get(email="ani@example.test").check_password("Baru-Sekali-99")
