"""Public pages shared from the cache (lsp/pagecache.py) and the language switch they need."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client
from django.urls import reverse

from lsp.pagecache import shareable

pytestmark = pytest.mark.django_db


def _anonymous_request(rf, method="get"):
    request = getattr(rf, method)("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_only_an_anonymous_get_without_messages_is_shared(rf, make_user):
    request = _anonymous_request(rf)
    assert shareable(request)
    messages.info(request, "Alamat email Anda sudah terverifikasi.")
    assert not shareable(request)
    assert not shareable(_anonymous_request(rf, "post"))
    signed_in = _anonymous_request(rf)
    signed_in.user = make_user("applicant")
    assert not shareable(signed_in)


def test_public_pages_carry_no_csrf_token_for_anonymous_visitors(client, make_user):
    assert b"csrfmiddlewaretoken" not in client.get(reverse("home")).content
    client.force_login(make_user("applicant"))
    assert b"csrfmiddlewaretoken" in client.get(reverse("home")).content


def test_anonymous_visitor_switches_language_without_a_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_signed_in_switch_without_a_token_is_refused_and_changes_nothing(make_user):
    user = make_user("applicant", preferred_language="id")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.preferred_language == "id"


def test_signed_in_switch_with_its_token_is_remembered_on_the_account(make_user):
    user = make_user("applicant", preferred_language="id")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("home"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
