"""A visitor reads the catalogue in a real browser (Chromium through Playwright)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

TMI_CODES = [
    "C.281930.002.01",
    "M.702092.009.01",
    "C.290MM01.014.1",
    "M.702090.012.02",
    "M.702090.008.02",
    "M.702090.009.02",
    "M.702092.001.01",
    "M.702092.014.01",
    "C.281930.042.01",
    "C.281930.049.01",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_opens_the_tmi_scheme_from_the_catalogue(page, live_server, snap):
    call_command("load_seed_schemes", verbosity=0)
    csp_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_violations.append(message))

    page.goto(live_server.url + reverse("schemes:list"))
    expect(page.get_by_test_id("scheme-row")).to_have_count(2)
    expect(page.get_by_test_id("scheme-list")).to_contain_text("Rp 2.000.000")
    snap(page, "catalogue")

    page.get_by_role("link", name="Pengelolaan Produksi").click()
    expect(page.get_by_test_id("scheme-name")).to_have_text("Pengelolaan Produksi")
    units = page.get_by_test_id("units")
    for code in TMI_CODES:
        expect(units).to_contain_text(code)
    expect(units).to_contain_text("Melakukan Analisis Masalah yang Terjadi pada Aktivitas Produksi")
    expect(page.get_by_test_id("fee")).to_have_text("Rp 2.000.000")
    expect(page.get_by_test_id("apply")).to_be_visible()
    expect(page.get_by_test_id("appeal-deadlines")).to_contain_text("1 hari")
    snap(page, "tmi-scheme-id")

    # The language switch in the navigation bar: English labels, English content where entered.
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("scheme-name")).to_have_text("Production Management")
    expect(page.get_by_role("heading", name="Units of competency")).to_be_visible()
    expect(page.get_by_test_id("units")).to_contain_text("Preparing Production Planning and Scheduling")
    snap(page, "tmi-scheme-en")

    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    assert download.value.suggested_filename == "skema-pengelolaan-produksi.pdf"
    assert csp_violations == []
