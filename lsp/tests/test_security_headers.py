"""Security headers on every kind of page: CSP, nosniff, Referrer-Policy, framing, HSTS, no-store."""

import pytest
from django.urls import reverse

from lsp.models import Role

PUBLIC_PAGES = ["home", "login", "register", "schemes:list", "verify:search"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_pages_send_the_security_headers(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.STAFF, Role.ASSESSOR])
def test_private_pages_are_never_stored_in_a_cache(client_as, role):
    client = client_as(role)
    response = client.get(reverse("dashboard"), follow=True)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_hsts_is_sent_over_https_with_the_production_values(client, settings):
    # The values production.py sets; HSTS is only ever sent on a secure request.
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get(reverse("home"))
