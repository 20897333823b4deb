"""In Chromium, as any visitor: the verification page reached from the menu, a number typed with odd spacing and
case, the result in Indonesian, then in English after the language switch (which brings the visitor back to the
same search), and a number that does not exist. The pages are served as a server runs them: shared between
visitors, put together from the kept frame (lsp.pagecache), with a second cache every process reads."""

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_verifies_by_number_in_both_languages(page, live_server, snap, certificate, shared_locmem):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Verifikasi sertifikat").first.click()
    typed = "  " + certificate.number.lower().replace(" ", "   ") + " "
    page.get_by_label("Nomor sertifikat").fill(typed)
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("number")).to_have_text(certificate.number)
    expect(page.get_by_test_id("public-status")).to_have_text("Valid")
    expect(page.locator("h1")).to_have_text("Verifikasi sertifikat kompetensi")
    searched = page.url
    snap(page, "verify-number-id")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("h1")).to_have_text("Verify a certificate of competency")
    assert page.url == searched  # back on the same search, in English
    expect(page.get_by_test_id("number")).to_have_text(certificate.number)
    expect(page.get_by_role("textbox", name="Certificate number")).to_have_value(typed)  # what the visitor typed, kept
    snap(page, "verify-number-en")

    # Another visitor, in a process that has nothing of its own yet, gets the same page from the shared cache.
    caches["default"].clear()
    page.reload()
    expect(page.get_by_test_id("public-status")).to_have_text("Valid")
    expect(page.locator("h1")).to_have_text("Verify a certificate of competency")

    page.get_by_role("textbox", name="Certificate number").fill("70209 0000 0 00000 1999")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("not-found")).to_have_text("No certificate with this number was found.")
    snap(page, "verify-not-found-en")
