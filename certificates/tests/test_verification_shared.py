"""Verification pages kept in a cache every process reads (DJANGO_SHARED_CACHE_URL, lsp.pagecache), and the
frame a shared page is put in.

A second web process is played by emptying this process's own cache ("default"): what it then serves without
a query came from the shared one. The Redis test runs against the real server in the PostgreSQL + Redis run
of .ci/run.
"""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import caches
from django.shortcuts import render
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lsp import pagecache
from lsp.tests.shared_caches import caches_with_shared, needs_redis

from ..views.public import CONTENT, TEMPLATE

pytestmark = pytest.mark.django_db


def _status(response):
    return response.content.decode().split('data-testid="public-status">')[1].split("<")[0]


def _visitor():
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    return visitor


def _served_by_another_process(certificate, django_assert_num_queries):
    address = reverse("verify:code", args=[certificate.verification_code])
    first = _visitor().get(address)
    caches["default"].clear()  # the other process has nothing of its own
    with django_assert_num_queries(0):
        again = _visitor().get(address)
    assert again.status_code == 200
    assert again.content == first.content
    return again


def test_a_page_rendered_by_one_process_is_served_by_another_without_a_query(
    shared_locmem, certificate, django_assert_num_queries
):
    _served_by_another_process(certificate, django_assert_num_queries)
    caches["shared"].clear()  # that process kept its own copy: the shared cache is asked once per page
    with django_assert_num_queries(0):
        assert _visitor().get(reverse("verify:code", args=[certificate.verification_code])).status_code == 200


def test_a_suspension_shows_in_every_process_on_the_next_request(shared_locmem, certificate, case, staff):
    from certificates import services

    address = reverse("verify:code", args=[certificate.verification_code])
    assert _status(_visitor().get(address)) == "Valid"
    services.certificate_suspend(actor=staff, case=case, reason="Dipakai di luar ruang lingkup", decision_reference="SK-1")
    assert _status(_visitor().get(address)).startswith("Suspended")  # this process
    caches["default"].clear()
    assert _status(_visitor().get(address)).startswith("Suspended")  # another one


def test_a_shared_cache_that_does_not_answer_counts_as_a_miss(settings, certificate, caplog):
    # Nothing listens on port 9: every call fails at once, as with Redis stopped.
    settings.CACHES = caches_with_shared(
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    )
    address = reverse("verify:code", args=[certificate.verification_code])
    with caplog.at_level(logging.WARNING, logger="lsp.pagecache"):
        response = _visitor().get(address)
    assert response.status_code == 200
    assert _status(response) == "Valid"
    assert "Shared cache unavailable" in caplog.text
    assert _visitor().get(address).content == response.content  # kept in the process meanwhile


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_framed_page_is_the_page_rendered_whole(rf, certificate, language):
    """The kept frame, with this request's address and content, gives the bytes of the whole page rendered."""
    from certificates.forms import VerifyForm
    from certificates.selectors import certificate_public_by_code

    request = rf.get(reverse("verify:search"), {"number": 'a"<b>&c'})
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    context = {
        "form": VerifyForm(request.GET),
        "searched": True,
        "certificate": certificate_public_by_code(certificate.verification_code),
    }
    with translation.override(language):
        whole = render(request, TEMPLATE, context).content
        for _ in range(2):  # the frame rendered, then the frame kept
            framed = pagecache.render_public(request, TEMPLATE, context, key="page", content_template=CONTENT)
            assert framed.content == whole
    assert b"a&quot;&lt;b&gt;&amp;c" in whole  # the address, escaped, in the language switch
    assert certificate.number.encode() in whole
    assert pagecache.FRAME_PATH.encode() not in whole and pagecache.FRAME_CONTENT.encode() not in whole


@needs_redis
def test_redis_serves_a_page_to_another_process(shared_redis, certificate, django_assert_num_queries):
    assert _status(_served_by_another_process(certificate, django_assert_num_queries)) == "Valid"
