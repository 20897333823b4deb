"""The whole life of a TMI certificate, in Chromium, each step done by the person who does it in the portal:

an applicant registers and verifies the email address, applies to "Pengelolaan Produksi" (APL-01 with the
documents of path A, APL-02, declaration); staff accept the application; the applicant uploads the transfer proof
and staff verify the payment; staff verify the TUK, schedule the test and assign the assessor; the assessor
declares no conflict, reviews the APL-02 and plans; the candidate agrees to the plan; the assessor records every
unit and submits "Kompeten"; the technical team decides; staff issue the SK and the certificate; the holder signs
the use agreement and downloads the PDF; the QR code read from that PDF opens the public page, which says "Valid";
staff suspend the certificate and the public page says "Dibekukan"; staff reinstate it and the holder applies for
re-certification.

The database is only used to set up what an admin sets up (schemes, bank account, signatory, numbering, the
assessor registry, the TUK entry, staff and team accounts) and to check the state reached. Every main page is
audited with axe-core on the way.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applicants.models import Application, Invoice
from assessments.models import AssessmentRecord, Assignment
from certificates.models import Certificate, Decision, Signatory
from certificates.services._common import verification_url
from lsp.models import Role, User
from schemes.selectors import scheme_suspension_grounds

from .support import (
    decode_qr_codes,
    fill_apl01,
    pdf_images,
    record_unit,
    review_every_document,
    self_assess_and_submit,
    submit_main_form,
    upload_file,
    upload_requirements,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sangat-Rahasia-77"
EMAIL = "ani.wijaya@example.test"


def test_tmi_certificate_from_registration_to_recertification(
    page, live_server, snap, axe, lsp_ready, registered_assessor, tuk, make_user, open_as, tmp_path
):
    url = live_server.url
    tmi = lsp_ready["tmi"]
    path_a = tmi.prerequisite_alternatives.get(code="A")
    staff_user = make_user(Role.STAFF, full_name="Rina Staf", email="rina@lsp.test")
    chair = make_user(Role.TECHNICAL_TEAM, full_name="Dewi Ketua")
    member = make_user(Role.TECHNICAL_TEAM, full_name="Eko Anggota")
    assessor = registered_assessor([tmi], full_name="Budi Asesor")
    today = timezone.localdate()

    # --- 1. The public side: home, catalogue, scheme page; the applicant registers -----------------------------
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sertifikasi kompetensi profesi")
    axe.check(page, "home")
    snap(page, "home")
    page.locator("nav").get_by_role("link", name="Skema").click()
    expect(page.get_by_test_id("scheme-list")).to_contain_text("Pengelolaan Produksi")
    axe.check(page, "scheme catalogue")
    snap(page, "catalogue")
    page.get_by_role("link", name="Pengelolaan Produksi").click()
    expect(page.get_by_test_id("apply")).to_be_visible()
    axe.check(page, "scheme page")
    snap(page, "scheme-page")

    page.locator("nav").get_by_role("link", name="Daftar", exact=True).click()
    page.locator("#id_full_name").fill("Ani Wijaya")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    axe.check(page, "register")
    snap(page, "register")
    submit_main_form(page)
    expect(page.get_by_test_id("register-done")).to_contain_text(EMAIL)
    axe.check(page, "register done")
    snap(page, "register-done")
    assert not User.objects.get(email=EMAIL).is_active

    # The link in the verification email activates the account.
    verification = next(message for message in mail.outbox if message.to == [EMAIL])
    page.goto(re.search(r"https?://\S+", verification.body).group(0))
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "login")
    snap(page, "email-verified-login")
    assert User.objects.get(email=EMAIL).is_active
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Dasbor pemohon")
    axe.check(page, "applicant dashboard (new)")
    snap(page, "applicant-dashboard")

    # --- 2. The application: APL-01, path A documents, APL-02, declaration (9.1.2–9.1.4) -----------------------
    page.goto(f"{url}/schemes/{tmi.slug}/")
    page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("start-title")).to_contain_text("Pengelolaan Produksi")
    axe.check(page, "application start")
    snap(page, "start")
    submit_main_form(page)
    axe.check(page, "APL-01 personal data")
    fill_apl01(page, education="sma", work=True)
    axe.check(page, "APL-01 purpose")
    page.locator("#id_purpose_0").check()
    page.locator("#id_funding_0").check()
    snap(page, "apl01-purpose")
    submit_main_form(page)

    page.locator(f"#alternative-{path_a.pk}").check()
    page.locator("form[action$='/documents/path/'] button[type=submit]").click()
    expect(page.get_by_test_id("requirement-9.1.2.d")).to_be_visible()
    expect(page.get_by_test_id("requirement-9.1.2.e")).to_have_count(0)
    upload_requirements(page)
    axe.check(page, "APL-01 documents")
    snap(page, "documents")

    self_assess_and_submit(page, axe, snap, "TMI")
    axe.check(page, "application detail (submitted)")
    snap(page, "submitted")
    application = Application.objects.get(applicant__email=EMAIL)
    assert application.fee == tmi.fee and application.alternative_id == path_a.pk

    # --- 3. Staff review and accept (9.1.5, 9.1.6) -------------------------------------------------------------
    staff = open_as(staff_user)
    axe.check(staff, "staff dashboard")
    snap(staff, "staff-dashboard")
    staff.locator("#main a[href$='/applications/review/']").first.click()
    expect(staff.get_by_test_id("queue-title")).to_be_visible()
    axe.check(staff, "staff review queue")
    snap(staff, "review-queue")
    staff.locator(f"a[href$='/applications/review/{application.pk}/']").click()
    expect(staff.get_by_test_id("review-title")).to_contain_text(application.reference)
    axe.check(staff, "staff review detail")
    assert review_every_document(staff) == 4  # KTP, photo, SMA/SMK certificate, proof of work (path A)
    snap(staff, "review")
    staff.locator("form[action$='/accept/'] button[type=submit]").click()
    expect(staff.get_by_test_id("status").first).to_have_attribute("data-status", "accepted")
    snap(staff, "accepted")
    invoice = Invoice.objects.get(application=application)
    assert invoice.amount == tmi.fee

    # --- 4. The applicant pays by transfer and uploads the proof; staff verify it (8) --------------------------
    page.goto(f"{url}/dashboard/applicant/")
    expect(page.get_by_test_id("next-action")).to_contain_text(invoice.number)
    axe.check(page, "applicant dashboard (to pay)")
    page.get_by_test_id("next-action").locator("a").click()
    expect(page.get_by_test_id("invoice-number")).to_contain_text(invoice.number)
    expect(page.locator("main")).to_contain_text("1230004567890")
    axe.check(page, "invoice")
    page.locator("#id_file").set_input_files(upload_file("bukti-transfer.pdf"))
    submit_main_form(page)
    expect(page.get_by_test_id("proofs")).to_contain_text("bukti-transfer.pdf")
    snap(page, "transfer-proof")

    staff.reload()
    staff.locator("form[action$='/payment/verify/'] button[type=submit]").click()
    expect(staff.locator("[data-status=paid]")).to_be_visible()
    snap(staff, "payment-verified")
    application.refresh_from_db()
    assert application.is_payment_settled

    # --- 5. Staff verify the TUK, schedule the test, add the candidate, assign the assessor (9.2.2, 9.3.2) -----
    staff.goto(f"{url}/assessment/tuk/")
    axe.check(staff, "TUK list")
    staff.get_by_role("link", name=tuk.name).click()
    staff.locator("#id_verified_on").fill(today.isoformat())
    staff.locator("#id_valid_until").fill(today.replace(year=today.year + 1).isoformat())
    staff.locator("#id_checklist_notes").fill("Ruang uji, peralatan produksi, APD dan jalur evakuasi lengkap")
    axe.check(staff, "TUK detail")
    staff.locator("form button[type=submit]").last.click()
    expect(staff.get_by_test_id("tuk-status")).to_have_class("alert alert-success")
    snap(staff, "tuk-verified")

    staff.goto(f"{url}/assessment/schedules/")
    axe.check(staff, "schedule list")
    staff.get_by_test_id("new-schedule").click()
    staff.locator("#id_scheme").select_option(str(tmi.pk))
    staff.locator("#id_tuk").select_option(str(tuk.pk))
    staff.locator("#id_date").fill(today.isoformat())
    staff.locator("#id_start_time").fill("08:00")
    staff.locator("#id_end_time").fill("16:00")
    staff.locator("#id_capacity").fill("10")
    staff.locator(f"input[name=assessors][value='{assessor.pk}']").check()
    axe.check(staff, "schedule form")
    snap(staff, "schedule-form")
    staff.get_by_test_id("save-schedule").click()
    expect(staff.get_by_test_id("schedule-title")).to_contain_text("JUK/")
    staff.locator("select[name=application]").select_option(str(application.pk))
    staff.get_by_test_id("add-candidate").get_by_role("button").click()
    expect(staff.get_by_test_id("candidate-row")).to_contain_text("Ani Wijaya")
    assignment = Assignment.objects.get(application=application)
    staff.locator(f"select[name='a{assignment.pk}-assessor']").select_option(str(assessor.pk))
    staff.get_by_test_id("assign-form").get_by_role("button").click()
    expect(staff.get_by_test_id("candidate-row")).to_contain_text("Budi Asesor")
    axe.check(staff, "schedule detail")
    snap(staff, "schedule-assigned")

    # --- 6. The assessor: no conflict, APL-02 review, plan (9.2.3–9.2.6) --------------------------------------
    desk = open_as(assessor.user)
    axe.check(desk, "assessor dashboard")
    snap(desk, "assessor-dashboard")
    desk.get_by_test_id("open-assignment").click()
    axe.check(desk, "assessor workspace (declaration)")
    desk.locator("input[name=has_conflict][value=no]").check()
    desk.get_by_test_id("declare").click()
    units = tmi.units.count()
    expect(desk.locator("input[name='units-0-adequate'][value=yes]")).to_be_visible()
    for index in range(units):
        desk.locator(f"input[name='units-{index}-adequate'][value=yes]").check()
    desk.locator("input[name=outcome][value=proceed]").check()
    desk.locator("#id_reason").fill("Bukti APL-02 relevan dan memadai untuk semua unit")
    axe.check(desk, "assessor APL-02 review")
    snap(desk, "apl02-review")
    desk.get_by_test_id("save-review").click()
    expect(desk.locator("textarea[name='units-0-evidence_to_collect']")).to_be_visible()
    for index in range(units):
        desk.locator(f"input[name='units-{index}-methods'][value=observasi]").check()
        desk.locator(f"input[name='units-{index}-methods'][value=lisan]").check()
        desk.locator(f"textarea[name='units-{index}-evidence_to_collect']").fill("Hasil praktik dan jawaban lisan")
    axe.check(desk, "assessor plan")
    snap(desk, "plan")
    desk.get_by_test_id("save-plan").click()
    expect(desk.get_by_test_id("awaiting-agreement")).to_be_visible()

    # --- 7. The candidate agrees to the plan and to confidentiality (9.2.4) -----------------------------------
    page.goto(f"{url}/assessment/my/")
    expect(page.get_by_test_id("candidate-schedule")).to_contain_text(tuk.name)
    axe.check(page, "candidate assessments")
    page.get_by_test_id("candidate-schedule").get_by_role("link").first.click()
    page.locator("#id_agree_plan").check()
    page.locator("#id_confidentiality").check()
    axe.check(page, "candidate plan agreement")
    snap(page, "plan-agreement")
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("plan-status")).to_have_class("badge text-bg-success")

    # --- 8. The assessor records every unit K with VATM met and submits "Kompeten" (9.3.3–9.3.5) ---------------
    desk.reload()
    desk.get_by_test_id("go-results").click()
    axe.check(desk, "assessor results")
    for position in range(1, units + 1):
        desk.get_by_test_id(f"record-unit-{position}").click()
        expect(desk.get_by_test_id("unit-title")).to_be_visible()
        if position == 1:
            axe.check(desk, "assessor unit result")
            snap(desk, "unit-result")
        record_unit(desk)
        expect(desk.get_by_test_id(f"unit-{position}")).to_contain_text("K")
    expect(desk.get_by_test_id("preview")).to_contain_text("Kompeten")
    snap(desk, "results")
    desk.get_by_test_id("submit-record").click()
    expect(desk.get_by_test_id("recommendation")).to_have_class("badge text-bg-success")
    snap(desk, "kompeten-submitted")
    record = AssessmentRecord.objects.get(assignment=assignment)
    assert (record.status, record.recommendation) == ("submitted", "K")

    # --- 9. Staff convene the technical team; a member decides (9.4.2–9.4.4) ----------------------------------
    staff.goto(f"{url}/certificates/meetings/")
    expect(staff.get_by_test_id("awaiting")).to_be_visible()
    axe.check(staff, "meeting list")
    staff.get_by_test_id("new-meeting").click()
    staff.locator("#id_place").fill("Ruang Rapat LSP TMI")
    staff.locator("#id_chair").select_option(str(chair.pk))
    staff.locator(f"input[name=members][value='{member.pk}']").check()
    staff.locator(f"input[name=records][value='{record.pk}']").check()
    axe.check(staff, "meeting form")
    snap(staff, "convene")
    staff.get_by_test_id("convene").click()
    expect(staff.get_by_test_id("meeting-title")).to_be_visible()
    meeting_url = staff.url

    team = open_as(member)
    axe.check(team, "technical team dashboard")
    team.get_by_test_id("open-meeting").click()
    axe.check(team, "meeting detail (member)")
    team.get_by_test_id(f"open-decide-{record.pk}").click()
    expect(team.get_by_test_id("record-units")).to_be_visible()
    team.locator("#id_recommendation_verified").check()
    team.locator("#id_evidence_verified").check()
    team.locator("input[name=outcome][value=granted]").check()
    team.locator("#id_notes").fill("Rekomendasi dan rekaman bukti sesuai (VATM).")
    axe.check(team, "decision page")
    snap(team, "decide")
    team.get_by_test_id("save-decision").click()
    expect(team.get_by_test_id(f"decision-{record.pk}")).to_contain_text("Sertifikat diberikan")
    snap(team, "decided")
    assert Decision.objects.get(record=record).outcome == Decision.Outcome.GRANTED

    # --- 10. Staff close with the Berita Acara, issue the SK and the certificate (9.4.5, 9.4.6) -----------------
    staff.goto(meeting_url)
    staff.get_by_test_id("close-meeting").click()
    expect(staff.get_by_test_id("minutes")).to_contain_text("/BA/TT/")
    axe.check(staff, "meeting detail (closed)")
    staff.locator("#id_signatory").select_option(str(Signatory.objects.get().pk))
    staff.get_by_test_id("issue-letter").click()
    expect(staff.get_by_test_id("letter-title")).to_contain_text("/SK/LSP/")
    axe.check(staff, "decision letter")
    staff.get_by_test_id("issue-all").click()
    expect(staff.get_by_test_id("run-status")).to_contain_text("1")
    axe.check(staff, "issuance progress")
    staff.get_by_test_id("back-to-letter").click()
    certificate = Certificate.objects.get(holder__email=EMAIL)
    expect(staff.get_by_test_id("certificate-number")).to_have_text(certificate.number)
    snap(staff, "certificate-issued")

    # --- 11. The holder signs the use agreement and downloads the certificate (9.8, 7.2.4) ---------------------
    page.goto(f"{url}/certificates/my/")
    expect(page.get_by_test_id("holder-decision")).to_contain_text("Sertifikat diberikan")
    axe.check(page, "my decisions and certificates")
    snap(page, "my-certificates")
    page.get_by_test_id("my-certificate-link").click()
    expect(page.get_by_test_id("download")).to_have_count(0)
    page.locator("#id_agree_use_rules").check()
    page.locator("#id_agree_ethics").check()
    axe.check(page, "holder certificate (agreement)")
    snap(page, "use-agreement")
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("agreement-signed")).to_be_visible()
    axe.check(page, "holder certificate (signed)")
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    saved = tmp_path / "sertifikat.pdf"
    download_info.value.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF")
    snap(page, "downloaded")
    holder_page_url = page.url

    # --- 12. The QR code printed on the PDF opens the public page: "Valid" --------------------------------------
    public = open_as(None)
    qr_texts = decode_qr_codes(public, pdf_images(pdf))
    assert qr_texts == [verification_url(certificate)], qr_texts
    public.goto(qr_texts[0])
    expect(public.get_by_test_id("holder")).to_have_text("Ani Wijaya")
    expect(public.get_by_test_id("number")).to_have_text(certificate.number)
    expect(public.get_by_test_id("public-status")).to_have_text("Valid")
    expect(public.locator("main")).not_to_contain_text("3273015508950001")
    axe.check(public, "public verification (valid)")
    snap(public, "public-valid")

    # --- 13. Staff suspend the certificate (9.5): the public page says so at once -------------------------------
    staff.goto(f"{url}/certificates/list/")
    axe.check(staff, "certificate list")
    staff.get_by_role("link", name=certificate.number).first.click()
    axe.check(staff, "certificate detail (staff)")
    staff.get_by_test_id("open-sanction").click()
    staff.locator("#id_ground").select_option(str(scheme_suspension_grounds(scheme=tmi).first().pk))
    staff.locator("#id_description").fill("Sertifikat dipakai untuk pekerjaan di luar ruang lingkupnya.")
    axe.check(staff, "sanction case form")
    staff.get_by_test_id("open-case").click()
    staff.locator("#id_suspend-reason").fill("Penyalahgunaan sertifikat (7.2.1).")
    staff.locator("#id_suspend-decision_reference").fill("021/SK/LSP/2026")
    axe.check(staff, "sanction case")
    snap(staff, "suspend")
    staff.get_by_test_id("suspend").click()
    expect(staff.get_by_test_id("case-status")).to_contain_text(re.compile("dibekukan", re.I))
    snap(staff, "suspended")

    public.reload()
    expect(public.get_by_test_id("public-status")).to_have_text("Dibekukan")
    expect(public.get_by_test_id("status")).to_have_class(re.compile(r"text-bg-warning"))
    axe.check(public, "public verification (suspended)")
    snap(public, "public-suspended")

    page.goto(holder_page_url)
    expect(page.get_by_test_id("status-banner")).to_be_visible()
    expect(page.get_by_test_id("return-duty")).to_contain_text("9.8.4")
    expect(page.get_by_test_id("holder-recertification")).to_have_count(0)
    axe.check(page, "holder certificate (suspended)")
    snap(page, "holder-suspended")
    # Only a valid certificate is renewed (9.7): even at the page's address, a suspended one cannot be.
    page.goto(f"{holder_page_url}recertify/")
    expect(page.get_by_test_id("recertification-refused")).to_contain_text("Dibekukan")
    expect(page.get_by_test_id("start-recertification")).to_have_count(0)
    snap(page, "recertification-refused")

    # --- 14. Staff lift the suspension; the holder applies for re-certification (9.7) ---------------------------
    staff.locator("#id_reinstate-reason").fill("Pemegang telah menghentikan penggunaan di luar ruang lingkup.")
    staff.locator("#id_reinstate-decision_reference").fill("022/SK/LSP/2026")
    staff.get_by_test_id("reinstate").click()
    expect(staff.get_by_test_id("case-status")).not_to_contain_text(re.compile("dibekukan", re.I))
    snap(staff, "reinstated")
    public.reload()
    expect(public.get_by_test_id("public-status")).to_have_text("Valid")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE

    page.goto(holder_page_url)
    page.get_by_test_id("recertify").click()
    expect(page.get_by_test_id("recertification-deadline")).to_be_visible()
    axe.check(page, "re-certification")
    snap(page, "recertification")
    page.get_by_test_id("start-recertification").click()
    # APL-01 comes filled in from the profile; purpose "Sertifikasi Ulang".
    expect(page.locator("#id_nik")).to_have_value("3273015508950001")
    snap(page, "recertification-apl01")
    submit_main_form(page)
    expect(page.locator("#id_work_institution")).to_have_value("PT Maju Jaya Manufaktur")
    submit_main_form(page)
    expect(page.locator("input[name=purpose]:checked")).to_have_value(Application.Purpose.RECERTIFICATION)
    page.locator("#id_funding_0").check()
    submit_main_form(page)
    page.locator(f"#alternative-{path_a.pk}").check()
    page.locator("form[action$='/documents/path/'] button[type=submit]").click()
    upload_requirements(page)
    self_assess_and_submit(page, axe, snap, "TMI re-certification")
    snap(page, "recertification-submitted")
    renewal = Application.objects.get(recertifies=certificate)
    assert renewal.status == Application.Status.SUBMITTED
    assert renewal.purpose == Application.Purpose.RECERTIFICATION

    staff.goto(f"{url}/applications/review/")
    expect(staff.locator(f"a[href$='/applications/review/{renewal.pk}/']")).to_be_visible()
    snap(staff, "recertification-in-queue")

    axe.assert_clean()
