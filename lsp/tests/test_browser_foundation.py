"""In Chromium: the home page in Indonesian, switch to English, register, log in as each demo role."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from lsp.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_create
from lsp.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_switch_language_and_register(page, live_server, snap):
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sertifikasi kompetensi profesi")
    snap(page, "home-id")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Professional competency certification")
    snap(page, "home-en")

    page.get_by_role("link", name="Register", exact=True).first.click()
    page.get_by_label("Full name (as on your identity card)").fill("Ani Wijaya")
    page.get_by_label("Email address").fill("ani@example.test")
    page.locator("#id_password1").fill("Sangat-Rahasia-77")
    page.locator("#id_password2").fill("Sangat-Rahasia-77")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_test_id("register-done")).to_contain_text("ani@example.test")
    snap(page, "registered")

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("verified")
    page.get_by_label("Email address").fill("ani@example.test")
    page.get_by_label("Password").fill("Sangat-Rahasia-77")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Applicant dashboard")
    assert User.objects.get(email="ani@example.test").is_active
    snap(page, "applicant-dashboard")


def test_each_demo_role_logs_in_to_its_dashboard(page, live_server, snap):
    demo_accounts_create()
    expected = {
        "pemohon@demo.lsp.id": "Dasbor pemohon",
        "asesor@demo.lsp.id": "Dasbor asesor",
        "staf@demo.lsp.id": "Dasbor staf LSP",
        "teknis@demo.lsp.id": "Dasbor tim teknis",
        "banding@demo.lsp.id": "Dasbor tim banding",
        "admin@demo.lsp.id": "Dasbor administrator",
    }
    assert set(expected) == {email for email, _name, _roles in DEMO_ACCOUNTS}
    for email, title in expected.items():
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Alamat email").fill(email)
        page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_test_id("dashboard-title")).to_have_text(title)
        snap(page, email.split("@")[0])
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("link", name="Masuk")).to_be_visible()
