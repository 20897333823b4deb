"""The staff application list is rendered once and shared between staff until an application, an invoice, an
account or a scheme changes (lsp.pagecache.shared_fragment, applicants.signals): every change shows on the next
request, and nothing of one user's page is served to another."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applicants import services
from lsp.models import Role

from .conftest import review_all

pytestmark = pytest.mark.django_db

QUEUE = reverse("applicants:review-queue")


def _rows(client, **params):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(QUEUE, params).content.decode()
    return page, [q["sql"] for q in queries if "applicants_application" in q["sql"]]


def test_second_request_is_served_without_reading_the_applications(client_as, submitted):
    client = client_as(Role.STAFF)
    first, first_queries = _rows(client)
    second, second_queries = _rows(client)
    assert first_queries, "the first request reads the applications"
    assert second_queries == []
    assert "Ani Wijaya" in second and submitted.reference in second


def test_status_change_9_1_6_shows_on_the_next_request(client_as, submitted, staff, organisation):
    client = client_as(Role.STAFF)
    page, _ = _rows(client, status="accepted")
    assert submitted.reference not in page
    review_all(submitted, staff)
    services.application_accept(actor=staff, application=submitted)
    page, queries = _rows(client, status="accepted")
    assert queries and submitted.reference in page


def test_payment_change_8_shows_on_the_next_request(client_as, accepted, staff):
    client = client_as(Role.STAFF)
    page, _ = _rows(client, payment="sponsored")
    assert accepted.reference not in page
    services.payment_mark_sponsored(
        actor=staff, application=accepted, sponsor_type="employer", sponsor_name="PT Maju", reference="SPK-1"
    )
    page, _ = _rows(client, payment="sponsored")
    assert accepted.reference in page


def test_renamed_account_shows_on_the_next_request(client_as, submitted, applicant):
    submitted.__class__.objects.filter(pk=submitted.pk).update(full_name="")  # the list falls back to the account
    client = client_as(Role.STAFF)
    client.get(QUEUE)  # the list before any change is now shared
    applicant.full_name = "Ani Wijaya Kusuma"
    applicant.save(update_fields=["full_name"])
    assert "Ani Wijaya Kusuma" in client.get(QUEUE).content.decode()


def test_a_login_does_not_retire_the_shared_list(client_as, submitted, applicant):
    client = client_as(Role.STAFF)
    client.get(QUEUE)
    get_user_model().objects.get(pk=applicant.pk).save(update_fields=["last_login"])
    _, queries = _rows(client)
    assert queries == []


def test_each_staff_user_gets_the_shared_list_in_their_own_page(client_as, submitted, make_user, client):
    second_user = make_user(Role.STAFF, full_name="Staf Kedua")  # a new account retires the list: made first
    first = client_as(Role.STAFF, full_name="Staf Pertama")
    assert "Staf Pertama" in first.get(QUEUE).content.decode()
    client.force_login(second_user)
    page, queries = _rows(client)
    assert queries == []  # the list came from the shared copy …
    assert "Staf Kedua" in page and "Staf Pertama" not in page  # … inside the second user's own page
    assert submitted.reference in page


def test_languages_are_kept_apart(client_as, submitted):
    client = client_as(Role.STAFF)
    english = client.get(QUEUE).content.decode()
    client.cookies["django_language"] = "id"
    indonesian = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Submitted" in english and "Diajukan" in indonesian


def test_only_staff_reach_the_shared_list(client_as, submitted, client):
    client_as(Role.STAFF).get(QUEUE)
    client.logout()
    assert client.get(QUEUE).status_code == 302
    applicant_client = client_as(Role.ASSESSOR)
    assert applicant_client.get(QUEUE).status_code == 403


def test_the_list_is_shared_between_processes(shared_locmem, client_as, submitted):
    """With a cache every process reads (DJANGO_SHARED_CACHE_URL), another process serves the list without
    reading the applications."""
    from django.core.cache import caches

    client = client_as(Role.STAFF)
    first, _ = _rows(client)
    caches["default"].clear()  # another process: nothing of its own
    again, queries = _rows(client)
    assert queries == []
    assert submitted.applicant.full_name in first and submitted.applicant.full_name in again
