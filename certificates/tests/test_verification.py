"""Public verification (no login): each live status, not found, nothing else personal, per-IP rate limit."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.models import Certificate

pytestmark = pytest.mark.django_db

# What the APL-01 of the holder holds and the public page must never show (7.1.3).
CANARIES = ["3273015508020001", "15 August 2002", "15 Agustus 2002", "2002-08-15", "15-08-2002", "Jl. Merdeka",
            "081234567890", "ani@example.test", "Bandung"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _by_code(client, certificate):
    return client.get(reverse("verify:code", args=[certificate.verification_code]))


def _by_number(client, number):
    return client.get(reverse("verify:search"), {"number": number})


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Certificate.Status.ACTIVE, "Valid"),
        (Certificate.Status.SUSPENDED, "Suspended"),
        (Certificate.Status.REVOKED, "Revoked"),
        (Certificate.Status.EXPIRED, "Expired"),
    ],
)
def test_verification_page_shows_the_live_status(client, certificate, status, label):
    Certificate.objects.filter(pk=certificate.pk).update(status=status)
    for response in (_by_code(client, certificate), _by_number(client, certificate.number)):
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-testid="public-status">{label}' in html
        assert "Ani Wijaya" in html and certificate.number in html and "Pengelolaan Produksi" in html
        assert "C.281930.002.01" in html
        assert certificate.expiry_date.strftime("%Y") in html


def test_expired_by_date_even_if_still_marked_active(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        issue_date=datetime.date(2019, 1, 2), expiry_date=datetime.date(2022, 1, 2)
    )
    assert 'data-testid="public-status">Expired<' in _by_code(client, certificate).content.decode()


def test_number_search_ignores_extra_spaces_and_case(client, certificate):
    number = "  " + certificate.number.replace(" ", "   ").lower() + " "
    assert _by_number(client, number).status_code == 200


def test_unknown_number_or_code_is_not_found(client, certificate):
    response = _by_number(client, "00000 0000 0 99999 1999")
    assert response.status_code == 404 and 'data-testid="not-found"' in response.content.decode()
    assert client.get(reverse("verify:code", args=["x" * 32])).status_code == 404


@pytest.mark.parametrize("language", ["id", "en"])
def test_verification_never_shows_nik_birth_date_address_phone_or_email(client, settings, certificate, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for response in (_by_code(client, certificate), _by_number(client, certificate.number)):
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        for canary in CANARIES:
            assert canary not in html, canary


def test_verification_needs_no_login_and_is_not_cached(client, certificate):
    response = _by_code(client, certificate)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_verification_is_rate_limited_per_ip(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert _by_number(client, certificate.number).status_code == 200
    response = _by_number(client, certificate.number)
    assert response.status_code == 429
    assert "Too many verification requests" in response.content.decode()
    assert _by_code(client, certificate).status_code == 429
    # Another address has its own budget.
    assert client.get(
        reverse("verify:code", args=[certificate.verification_code]), REMOTE_ADDR="198.51.100.9"
    ).status_code == 200


def test_the_empty_form_does_not_count(client, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 1
    for _ in range(3):
        assert client.get(reverse("verify:search")).status_code == 200


def test_a_suspension_shows_on_the_next_request_to_the_shared_page(client, settings, certificate, case, staff):
    from django.test import Client

    from certificates import services

    def visitor():
        other = Client()
        other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return other

    assert 'data-testid="public-status">Valid<' in _by_code(client, certificate).content.decode()
    assert 'data-testid="public-status">Valid<' in _by_code(visitor(), certificate).content.decode()  # shared copy
    assert 'data-testid="public-status">Valid<' in _by_number(visitor(), certificate.number).content.decode()
    services.certificate_suspend(actor=staff, case=case, reason="Dipakai di luar ruang lingkup", decision_reference="SK-1")
    assert 'data-testid="public-status">Suspended' in _by_code(visitor(), certificate).content.decode()
    assert 'data-testid="public-status">Suspended' in _by_number(visitor(), certificate.number).content.decode()


def test_the_shared_page_is_served_without_touching_the_database(client, certificate, django_assert_num_queries):
    _by_code(client, certificate)
    with django_assert_num_queries(0):
        response = _by_code(client, certificate)
    assert 'data-testid="public-status">Valid<' in response.content.decode()


def test_a_certificate_issued_after_a_not_found_answer_is_found_next_time(client, certificate):
    number = certificate.number
    Certificate.objects.filter(pk=certificate.pk).update(number="TIDAK-ADA")  # as if not issued yet
    assert _by_number(client, number).status_code == 404
    certificate.refresh_from_db()
    certificate.number = number
    certificate.save()  # issued (every service saves the certificate)
    assert _by_number(client, number).status_code == 200


def test_expiry_at_midnight_shows_without_any_change_of_the_row(client, certificate):
    import time_machine

    last_day = datetime.datetime.combine(certificate.expiry_date, datetime.time(23, 59), tzinfo=datetime.UTC)
    with time_machine.travel(last_day - datetime.timedelta(hours=7), tick=False):  # 23:59 WIB, the last valid day
        assert 'data-testid="public-status">Valid<' in _by_code(client, certificate).content.decode()
    with time_machine.travel(last_day - datetime.timedelta(hours=7) + datetime.timedelta(minutes=2), tick=False):
        assert 'data-testid="public-status">Expired<' in _by_code(client, certificate).content.decode()


@pytest.mark.parametrize("by", ["number", "code"])
def test_the_lookup_reads_the_public_columns_of_one_row_only(client, certificate, by):
    """7.1.3: what the page may not show is not even read; one query, served by an index (unique or UPPER(number))."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = _by_number(client, certificate.number.lower()) if by == "number" else _by_code(client, certificate)
    assert response.status_code == 200
    (lookup,) = [q["sql"] for q in queries if "certificates_certificate" in q["sql"]]
    selected = lookup.split(" FROM ")[0]
    for private in ("holder_id", "application_id", "photo_id", "pdf", "verification_code", "signatory_id"):
        assert f'"{private}"' not in selected
    assert selected.count('"') == 2 * 9  # id and the eight public columns
    assert "LIMIT 1" in lookup
