"""In Chromium, the whole of 9.1 and section 8: register, apply to TMI on the student path (6.3), upload,
self-assess, submit; staff ask a revision; the applicant fixes it; staff accept; the applicant pays; staff verify.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from applicants.models import Application, Invoice
from lsp.models import Organisation, Role
from lsp.tests.factories import TEST_PASSWORD
from schemes.models import Scheme

from .files import jpeg_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sangat-Rahasia-77"


def _file(name):
    if name.endswith(".jpg"):
        return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes((300, 400), exif_gps=True)}
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _upload(page, clause, name):
    card = page.get_by_test_id(f"requirement-{clause}")
    card.locator("input[type=file]").set_input_files(_file(name))
    card.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_test_id(f"requirement-{clause}")).to_contain_text(name)


def _submit_main_form(page):
    page.locator("main form[method=post] button[type=submit]").last.click()


def test_apply_revise_accept_and_pay_on_the_student_path_9_1(page, browser, live_server, snap, make_user):
    call_command("load_seed_schemes", verbosity=0)
    scheme = Scheme.objects.get(document_number="SCM.009A/LSP.TMI")
    student = scheme.prerequisite_alternatives.get(code="B")
    organisation = Organisation.current()
    organisation.bank_name, organisation.bank_account_number = "Bank Mandiri", "1230004567890"
    organisation.bank_account_name = "LSP TMI"
    organisation.save()
    staff_user = make_user(Role.STAFF, email="rina@lsp.test", full_name="Rina Staf")
    url = live_server.url
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    # --- the applicant registers and verifies the email address -------------------------------
    page.goto(f"{url}/accounts/register/")
    page.locator("#id_full_name").fill("Ani Wijaya")
    page.locator("#id_email").fill("ani@example.test")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    _submit_main_form(page)
    expect(page.get_by_test_id("register-done")).to_contain_text("ani@example.test")
    page.goto(re.search(r"https?://\S+", mail.outbox[-1].body).group(0))

    # --- from the catalogue page, "Apply": log in first, then back to the start page -----------
    page.goto(f"{url}/schemes/{scheme.slug}/")
    page.get_by_test_id("apply").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Alamat email").fill("ani@example.test")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("start-title")).to_contain_text("Pengelolaan Produksi")
    snap(page, "start")
    _submit_main_form(page)

    # --- APL-01: personal data, work (a student: none), purpose and funding ---------------------
    expect(page.get_by_test_id("step-title")).to_contain_text("APL-01")
    page.locator("#id_nik").fill("3273015508020001")
    page.locator("#id_birth_place").fill("Bandung")
    page.locator("#id_birth_date").fill("2002-08-15")
    page.locator("#id_sex").select_option("female")
    page.locator("#id_address").fill("Jl. Merdeka No. 1, Bandung")
    page.locator("#id_postcode").fill("40111")
    page.locator("#id_phone_mobile").fill("081234567890")
    page.locator("#id_education").select_option("sma")
    snap(page, "apl01-personal")
    _submit_main_form(page)
    expect(page.locator("#id_work_institution")).to_be_visible()
    _submit_main_form(page)
    page.locator("#id_purpose_0").check()
    page.locator("#id_funding_0").check()
    _submit_main_form(page)

    # --- the student path (6.1 + 6.3) and its documents (9.1.2 a, b, c, e) ---------------------
    page.locator(f"#alternative-{student.pk}").check()
    page.locator("form[action$='/documents/path/'] button[type=submit]").click()
    expect(page.get_by_test_id("requirement-9.1.2.e")).to_be_visible()
    expect(page.get_by_test_id("requirement-9.1.2.d")).to_have_count(0)
    _upload(page, "9.1.2.a", "ktp.jpg")
    _upload(page, "9.1.2.b", "pasfoto.jpg")
    _upload(page, "9.1.2.c", "ijazah-sma.pdf")
    _upload(page, "9.1.2.e", "transkrip-semester-6.pdf")
    expect(page.get_by_test_id("requirement-9.1.2.b")).to_contain_text("3x4")
    snap(page, "documents")

    # --- APL-02: K for every unit, the transcript as evidence of the first ---------------------
    page.locator("main a[href$='/self-assessment/']").last.click()
    expect(page.get_by_test_id("step-title")).to_contain_text("APL-02")
    for i in range(scheme.units.count()):
        page.locator(f"#id_answer_{i}_0").check()
    page.locator("input[name=evidence_0]").last.check()
    snap(page, "apl02")
    page.locator("main form[method=post]:not([enctype]) button[type=submit]").first.click()

    # --- declaration (9.1.4), consent, submit --------------------------------------------------
    page.locator("#id_declaration").check()
    page.locator("#id_consent").check()
    snap(page, "declaration")
    _submit_main_form(page)
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "submitted")
    application = Application.objects.get(applicant__email="ani@example.test")
    assert application.reference and application.fee == scheme.fee
    snap(page, "submitted")

    # --- staff: the KTP is unreadable; ask for a revision (9.1.5) ------------------------------
    staff_context = browser.new_context()
    staff = staff_context.new_page()
    staff.goto(f"{url}/accounts/login/")
    staff.get_by_label("Alamat email").fill(staff_user.email)
    staff.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    staff.get_by_role("button", name="Masuk").click()
    expect(staff.get_by_test_id("staff-counts")).to_be_visible()
    snap(staff, "staff-dashboard")
    staff.locator("#main a[href$='/applications/review/']").first.click()
    expect(staff.get_by_test_id("queue-title")).to_be_visible()
    snap(staff, "queue")
    staff.locator(f"a[href$='/applications/review/{application.pk}/']").click()
    expect(staff.get_by_test_id("review-title")).to_contain_text(application.reference)

    def verdict(clause, value, note=""):
        card = staff.get_by_test_id(f"review-{clause}")
        card.locator(f"input[value={value}]").first.check()
        if note:
            card.locator("input[name=note]").first.fill(note)
        card.locator("form button[type=submit]").first.click()
        expect(staff.get_by_test_id(f"review-{clause}")).to_contain_text(
            "tidak memenuhi syarat" if value == "fails" else "memenuhi syarat", ignore_case=True
        )

    verdict("9.1.2.a", "fails", "Foto KTP buram, tidak terbaca")
    for clause in ("9.1.2.b", "9.1.2.c", "9.1.2.e"):
        verdict(clause, "meets")
    staff.locator("form[action$='/revision/'] textarea[name=note]").fill("Unggah ulang KTP yang jelas.")
    snap(staff, "review")
    staff.locator("form[action$='/revision/'] button[type=submit]").click()
    expect(staff.get_by_test_id("status").first).to_have_attribute("data-status", "revision_requested")
    snap(staff, "revision-asked")
    assert "Unggah ulang KTP" in mail.outbox[-1].body

    # --- the applicant sees exactly what to fix, replaces the KTP, resubmits -------------------
    page.reload()
    expect(page.get_by_test_id("revision-notice")).to_contain_text("Unggah ulang KTP yang jelas.")
    expect(page.locator("main")).to_contain_text("Foto KTP buram")
    snap(page, "revision-notice")
    page.goto(f"{url}{reverse('applicants:documents', args=[application.pk])}")
    _upload(page, "9.1.2.a", "ktp-jelas.pdf")
    expect(page.get_by_test_id("requirement-9.1.2.a")).not_to_contain_text("ktp.jpg")
    page.goto(f"{url}{reverse('applicants:submit', args=[application.pk])}")
    page.locator("#id_declaration").check()
    page.locator("#id_consent").check()
    _submit_main_form(page)
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "submitted")

    # --- staff accept (9.1.6): the invoice is issued -------------------------------------------
    staff.reload()
    verdict("9.1.2.a", "meets")
    staff.locator("form[action$='/accept/'] button[type=submit]").click()
    expect(staff.get_by_test_id("status").first).to_have_attribute("data-status", "accepted")
    snap(staff, "accepted")
    invoice = Invoice.objects.get(application=application)
    assert invoice.amount == scheme.fee

    # --- the applicant pays and uploads the transfer proof (8) ---------------------------------
    page.goto(f"{url}{reverse('dashboard-applicant')}")
    expect(page.get_by_test_id("next-action")).to_contain_text(invoice.number)
    snap(page, "dashboard-to-pay")
    page.get_by_test_id("next-action").locator("a").click()
    expect(page.get_by_test_id("invoice-number")).to_contain_text(invoice.number)
    expect(page.locator("main")).to_contain_text("1230004567890")
    page.locator("#id_file").set_input_files(_file("bukti-transfer.jpg"))
    _submit_main_form(page)
    expect(page.get_by_test_id("proofs")).to_contain_text("bukti-transfer.jpg")
    snap(page, "proof-uploaded")

    # --- staff verify the payment: ready for assessment -----------------------------------------
    staff.reload()
    staff.locator("form[action$='/payment/verify/'] button[type=submit]").click()
    expect(staff.locator("[data-status=paid]")).to_be_visible()
    snap(staff, "payment-verified")
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED and application.is_payment_settled

    page.goto(f"{url}{reverse('dashboard-applicant')}")
    expect(page.get_by_test_id("dashboard-application")).to_contain_text(application.reference)
    snap(page, "dashboard-paid")
    staff_context.close()
    # Nothing on these pages breaks the strict CSP (no inline style or script).
    assert not [text for text in console_errors if "Content Security Policy" in text], console_errors
    subjects = [message.subject for message in mail.outbox if message.to == ["ani@example.test"]]
    assert len(subjects) >= 6  # verification, received, revision, resubmitted, accepted, paid
