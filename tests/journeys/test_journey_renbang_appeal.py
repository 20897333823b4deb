"""A Renbang candidate is found "Belum Kompeten", appeals in time and is certified, in Chromium, each step done by
the person who does it in the portal:

the candidate applies to "Mengelola Pelaksanaan Rencana Pembangunan" on path B (S-1 diploma and work-experience
letter, 4x6 photos); staff accept and record that the employer pays; staff schedule the test and assign the
assessor; the assessor declares no conflict, reviews the APL-02 and plans; the candidate agrees; the assessor finds
the evidence of the second unit not sufficient and submits "Belum Kompeten"; the technical team decides "sertifikat
tidak diberikan"; the candidate files the appeal (FR.AK.04) within the scheme's window; staff acknowledge it and
form an appeal team of people not involved; the team grants it; staff issue the SK based on the appeal decision
and the certificate follows; the holder signs the use agreement and downloads it; the QR code on it opens the
public page, which says "Valid".

The database is only used to set up what an admin sets up (schemes, signatory, numbering, the assessor registry,
a verified TUK, accounts and roles) and to check the state reached. Every main page is audited with axe-core.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applicants.models import Application, Invoice
from assessments.models import AssessmentRecord, Assignment, TukVerification
from certificates.models import Appeal, Certificate, Decision, Signatory
from certificates.services._common import verification_url
from lsp.models import Role
from lsp.tests.factories import TEST_PASSWORD

from .support import (
    decode_qr_codes,
    fill_apl01,
    log_in,
    pdf_images,
    record_unit,
    review_every_document,
    self_assess_and_submit,
    submit_main_form,
    upload_requirements,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_renbang_belum_kompeten_appeal_granted_then_certificate(
    page, live_server, snap, axe, lsp_ready, registered_assessor, tuk, make_user, open_as, tmp_path
):
    url = live_server.url
    renbang = lsp_ready["renbang"]
    path_b = renbang.prerequisite_alternatives.get(code="B")
    staff_user = make_user(Role.STAFF, full_name="Rina Staf")
    chair = make_user(Role.TECHNICAL_TEAM, full_name="Dewi Ketua")
    member = make_user(Role.TECHNICAL_TEAM, full_name="Eko Anggota")
    panel_member = make_user(Role.APPEAL_TEAM, full_name="Sari Banding")
    candidate = make_user(Role.APPLICANT, full_name="Budi Santoso", email="budi.santoso@example.test")
    assessor = registered_assessor([renbang], full_name="Citra Asesor")
    today = timezone.localdate()
    TukVerification.objects.create(
        tuk=tuk, verified_on=today, valid_until=today + datetime.timedelta(days=365), verified_by=staff_user,
        checklist_notes="Ruang uji, komputer dan data perencanaan tersedia",
    )

    # --- 1. The candidate applies on path B (9.1.2–9.1.4) -------------------------------------------------------
    log_in(page, url, candidate.email, TEST_PASSWORD)
    page.goto(f"{url}/schemes/")
    page.get_by_role("link", name="Mengelola Pelaksanaan Rencana Pembangunan").click()
    expect(page.get_by_test_id("apply")).to_be_visible()
    axe.check(page, "scheme page (Renbang)")
    snap(page, "scheme-page")
    page.get_by_test_id("apply").click()
    submit_main_form(page)
    fill_apl01(page, education="s1", work=True)
    page.locator("#id_purpose_0").check()
    page.locator("#id_funding_1").check()  # the employer pays
    page.locator("#id_funding_detail").fill("PT Maju Jaya Manufaktur")
    submit_main_form(page)
    page.locator(f"#alternative-{path_b.pk}").check()
    page.locator("form[action$='/documents/path/'] button[type=submit]").click()
    expect(page.get_by_test_id("requirement-9.1.2.c")).to_have_count(2)  # diploma and work-experience letter
    upload_requirements(page, photo_size=(400, 600))
    axe.check(page, "APL-01 documents (Renbang)")
    snap(page, "documents")
    self_assess_and_submit(page, axe, snap, "Renbang")
    snap(page, "submitted")
    application = Application.objects.get(applicant=candidate)
    assert application.fee == renbang.fee

    # --- 2. Staff accept and record the employer's sponsorship (9.1.6, 8) ---------------------------------------
    staff = open_as(staff_user)
    staff.goto(f"{url}/applications/review/{application.pk}/")
    review_every_document(staff)
    staff.locator("form[action$='/accept/'] button[type=submit]").click()
    expect(staff.get_by_test_id("status").first).to_have_attribute("data-status", "accepted")
    staff.locator("details summary").click()
    staff.locator("#id_sponsor_type").select_option(Invoice.SponsorType.EMPLOYER)
    staff.locator("#id_sponsor_name").fill("PT Maju Jaya Manufaktur")
    staff.locator("#id_reference").fill("SPK-2026-017")
    axe.check(staff, "staff review detail (payment)")
    staff.locator("form[action$='/payment/sponsor/'] button[type=submit]").click()
    expect(staff.locator("[data-status=sponsored]")).to_be_visible()
    snap(staff, "accepted-sponsored")
    application.refresh_from_db()
    assert application.is_payment_settled

    # --- 3. Staff schedule the test and assign the assessor (9.2.2) ---------------------------------------------
    staff.goto(f"{url}/assessment/schedules/new/")
    staff.locator("#id_scheme").select_option(str(renbang.pk))
    staff.locator("#id_tuk").select_option(str(tuk.pk))
    staff.locator("#id_date").fill(today.isoformat())
    staff.locator("#id_start_time").fill("09:00")
    staff.locator("#id_capacity").fill("5")
    staff.locator(f"input[name=assessors][value='{assessor.pk}']").check()
    staff.get_by_test_id("save-schedule").click()
    expect(staff.get_by_test_id("schedule-title")).to_contain_text("JUK/")
    staff.locator("select[name=application]").select_option(str(application.pk))
    staff.get_by_test_id("add-candidate").get_by_role("button").click()
    assignment = Assignment.objects.get(application=application)
    staff.locator(f"select[name='a{assignment.pk}-assessor']").select_option(str(assessor.pk))
    staff.get_by_test_id("assign-form").get_by_role("button").click()
    expect(staff.get_by_test_id("candidate-row")).to_contain_text("Citra Asesor")
    snap(staff, "schedule-assigned")

    # --- 4. The assessor plans; the candidate agrees (9.2.3–9.2.6) ---------------------------------------------
    desk = open_as(assessor.user)
    desk.get_by_test_id("open-assignment").click()
    desk.locator("input[name=has_conflict][value=no]").check()
    desk.get_by_test_id("declare").click()
    units = renbang.units.count()
    expect(desk.locator("input[name='units-0-adequate'][value=yes]")).to_be_visible()
    for index in range(units):
        desk.locator(f"input[name='units-{index}-adequate'][value=yes]").check()
    desk.locator("input[name=outcome][value=proceed]").check()
    desk.locator("#id_reason").fill("Bukti APL-02 cukup untuk melanjutkan ke uji kompetensi")
    desk.get_by_test_id("save-review").click()
    expect(desk.locator("textarea[name='units-0-evidence_to_collect']")).to_be_visible()
    for index in range(units):
        desk.locator(f"input[name='units-{index}-methods'][value=observasi]").check()
        desk.locator(f"textarea[name='units-{index}-evidence_to_collect']").fill("Dokumen rencana dan laporan")
    desk.get_by_test_id("save-plan").click()
    expect(desk.get_by_test_id("awaiting-agreement")).to_be_visible()
    snap(desk, "plan-saved")

    page.goto(f"{url}/assessment/my/")
    page.get_by_test_id("candidate-schedule").get_by_role("link").first.click()
    page.locator("#id_agree_plan").check()
    page.locator("#id_confidentiality").check()
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("plan-status")).to_have_class("badge text-bg-success")
    snap(page, "plan-agreed")

    # --- 5. The assessor: unit 1 K, unit 2 BK (evidence not sufficient): "Belum Kompeten" (9.3.4, 9.3.5) ---------
    desk.reload()
    desk.get_by_test_id("go-results").click()
    for position in range(1, units + 1):
        desk.get_by_test_id(f"record-unit-{position}").click()
        expect(desk.get_by_test_id("unit-title")).to_be_visible()
        record_unit(desk, verdict="BK" if position == units else "K")
    expect(desk.get_by_test_id(f"unit-{units}")).to_contain_text("BK")
    expect(desk.get_by_test_id("preview")).to_contain_text("Belum Kompeten")
    desk.locator("#id_follow_up").fill("Lengkapi laporan pelaksanaan rencana pembangunan yang memadai untuk unit 2.")
    axe.check(desk, "assessor results (Belum Kompeten)")
    snap(desk, "belum-kompeten")
    desk.get_by_test_id("submit-record").click()
    expect(desk.get_by_test_id("recommendation")).to_have_class("badge text-bg-danger")
    record = AssessmentRecord.objects.get(assignment=assignment)
    assert (record.status, record.recommendation) == ("submitted", "BK")

    page.goto(f"{url}/assessment/my/{assignment.pk}/")
    expect(page.get_by_test_id("recommendation")).to_have_class("badge text-bg-danger")
    axe.check(page, "candidate assessment result")
    snap(page, "candidate-result")

    # --- 6. The technical team decides "sertifikat tidak diberikan" (9.4.2–9.4.4) ---------------------------------
    staff.goto(f"{url}/certificates/meetings/new/")
    staff.locator("#id_place").fill("Ruang Rapat LSP")
    staff.locator("#id_chair").select_option(str(chair.pk))
    staff.locator(f"input[name=members][value='{member.pk}']").check()
    staff.locator(f"input[name=records][value='{record.pk}']").check()
    staff.get_by_test_id("convene").click()
    expect(staff.get_by_test_id("meeting-title")).to_be_visible()
    meeting_url = staff.url

    team = open_as(member)
    team.get_by_test_id("open-meeting").click()
    team.get_by_test_id(f"open-decide-{record.pk}").click()
    team.locator("#id_recommendation_verified").check()
    team.locator("#id_evidence_verified").check()
    team.locator("input[name=outcome][value=not_granted]").check()
    team.locator("#id_notes").fill("Bukti unit 2 belum memadai; rekomendasi BK sesuai.")
    axe.check(team, "decision page (not granted)")
    snap(team, "decide-not-granted")
    team.get_by_test_id("save-decision").click()
    expect(team.get_by_test_id(f"decision-{record.pk}")).to_contain_text("tidak diberikan")
    staff.goto(meeting_url)
    staff.get_by_test_id("close-meeting").click()
    expect(staff.get_by_test_id("minutes")).to_contain_text("/BA/TT/")
    snap(staff, "meeting-closed")
    decision = Decision.objects.get(record=record)
    assert decision.outcome == Decision.Outcome.NOT_GRANTED

    # --- 7. The candidate files the appeal within the window (9.9.2, 9.9.3) --------------------------------------
    page.goto(f"{url}/dashboard/applicant/")
    expect(page.get_by_test_id("appeal-deadline")).to_contain_text(str(today.year))
    axe.check(page, "applicant dashboard (decision not granted)")
    snap(page, "dashboard-not-granted")
    page.get_by_test_id("file-appeal").click()
    expect(page.get_by_test_id("appeal-form-title")).to_be_visible()
    page.locator("input[name=process_explained][value=yes]").check()
    page.locator("input[name=discussed_with_assessor][value=yes]").check()
    page.locator("input[name=involves_other_person][value=no]").check()
    page.locator("#id_reasons").fill("Laporan unit 2 yang saya bawa tidak diperiksa; saya melampirkan laporan aslinya.")
    page.locator("#id_confirm").check()
    axe.check(page, "appeal form (FR.AK.04)")
    snap(page, "appeal-form")
    page.get_by_test_id("submit-appeal").click()
    expect(page.get_by_test_id("appeal-title")).to_contain_text("BDG/")
    axe.check(page, "my appeal")
    snap(page, "appeal-filed")
    appeal = Appeal.objects.get(application=application)
    assert appeal.status == Appeal.Status.FILED
    assert appeal.filed_at <= appeal.window_deadline

    # --- 8. Staff acknowledge receipt and form a team of people not involved (9.9.4, 9.9.6) ----------------------
    staff.goto(f"{url}/certificates/appeals/")
    axe.check(staff, "appeal list")
    staff.get_by_test_id("appeal-link").first.click()
    staff.get_by_test_id("receive-appeal").click()
    expect(staff.get_by_test_id("days-left")).to_contain_text(str(renbang.appeal_decision_working_days))
    staff.locator(f"input[name=members][value='{panel_member.pk}']").check()
    axe.check(staff, "appeal detail (staff)")
    snap(staff, "appeal-team")
    staff.get_by_test_id("form-panel").click()
    expect(staff.get_by_test_id("appeal-panel")).to_contain_text("Sari Banding")

    # --- 9. The appeal team grants the appeal (9.9.7) ------------------------------------------------------------
    panel = open_as(panel_member)
    expect(panel.get_by_test_id("team-appeals")).to_contain_text(appeal.number)
    axe.check(panel, "appeal team dashboard")
    snap(panel, "appeal-team-dashboard")
    panel.get_by_test_id("open-appeal").click()
    panel.locator("input[name=outcome][value=granted]").check()
    panel.locator("#id_reason").fill("Laporan asli unit 2 memenuhi VATM setelah ditelusuri; keputusan diubah.")
    axe.check(panel, "appeal decision")
    snap(panel, "appeal-decide")
    panel.get_by_test_id("decide-appeal").click()
    expect(panel.get_by_test_id("appeal-outcome")).to_contain_text("KEP-BANDING")
    snap(panel, "appeal-granted")

    # --- 10. Staff issue the SK based on the appeal decision; the certificate follows (9.4.5, 9.4.6) -------------
    staff.reload()
    staff.locator("#id_signatory").select_option(str(Signatory.objects.get().pk))
    staff.get_by_test_id("issue-appeal-certificate").click()
    certificate = Certificate.objects.get(holder=candidate)
    expect(staff.locator("h1")).to_contain_text(certificate.number)
    axe.check(staff, "certificate detail (from appeal)")
    snap(staff, "certificate-from-appeal")
    assert certificate.letter.appeal == appeal and certificate.scheme == renbang

    # --- 11. The holder agrees, downloads; the QR code opens the public page: "Valid" ----------------------------
    page.goto(f"{url}/certificates/my/{certificate.pk}/")
    page.locator("#id_agree_use_rules").check()
    page.locator("#id_agree_ethics").check()
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("agreement-signed")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    saved = tmp_path / "sertifikat.pdf"
    download_info.value.save_as(saved)
    snap(page, "holder-downloaded")
    public = open_as(None)
    qr_texts = decode_qr_codes(public, pdf_images(saved.read_bytes()))
    assert qr_texts == [verification_url(certificate)], qr_texts
    public.goto(qr_texts[0])
    expect(public.get_by_test_id("holder")).to_have_text("Budi Santoso")
    expect(public.get_by_test_id("public-status")).to_have_text("Valid")
    axe.check(public, "public verification (Renbang)")
    snap(public, "public-valid")
    public.goto(f"{url}/verify/")
    public.get_by_label("Nomor sertifikat").fill(certificate.number)
    public.get_by_test_id("verify").click()
    expect(public.get_by_test_id("public-status")).to_have_text("Valid")
    axe.check(public, "public verification search")
    snap(public, "public-search")

    axe.assert_clean()
