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


def test_a_bump_retires_the_shared_pages_of_its_topic_only(rf, django_capture_on_commit_callbacks):
    from lsp.pagecache import bump, page_key, stamp

    request = _anonymous_request(rf)
    catalogue, certificates = page_key(request, "catalogue"), page_key(request, "certificates")
    assert catalogue != certificates
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bump("catalogue")
        during = stamp("catalogue")
    assert len(callbacks) == 1  # stamped again once the change commits
    assert stamp("catalogue") not in ("", during)
    assert page_key(request, "catalogue") != catalogue
    assert page_key(request, "certificates") == certificates


def test_the_key_follows_language_address_and_day(rf):
    import datetime

    import time_machine
    from django.utils import translation

    from lsp.pagecache import page_key

    request = _anonymous_request(rf)
    indonesian = page_key(request, "certificates", daily=True)
    with translation.override("en"):
        assert page_key(request, "certificates", daily=True) != indonesian
    other = _anonymous_request(rf)
    other.path = other.path_info = "/verify/"
    assert page_key(other, "certificates", daily=True) != indonesian
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)):
        assert page_key(request, "certificates", daily=True) != indonesian


def test_menu_is_kept_per_roles_and_language(client, make_user):
    """base.html keeps one copy of the menu per set of roles and language: a role granted shows at once."""
    from lsp.models import Role, UserRole

    registers = reverse("assessments:tuk-list")
    user = make_user(Role.APPLICANT)
    client.force_login(user)
    assert registers not in client.get(reverse("home")).content.decode()
    UserRole.objects.create(user=user, role=Role.STAFF)
    page = client.get(reverse("home")).content.decode()
    assert registers in page
    client.force_login(make_user(Role.APPLICANT))
    assert registers not in client.get(reverse("home")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("home")).content.decode()
    client.cookies["django_language"] = "id"
    indonesian = client.get(reverse("home")).content.decode()
    assert ">Schemes<" in english and ">Skema<" in indonesian
