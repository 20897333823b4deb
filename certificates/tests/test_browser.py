"""In Chromium: staff convene the technical team; a member verifies and decides "sertifikat diberikan"; staff close
the meeting with its Berita Acara, issue the SK and the certificates; the holder agrees to the use rules and the
code of ethics and downloads the PDF; the public page opened from the QR code's address says the certificate is valid.

The submitted recommendation is reached through the applicants and assessments services, as their tests do.
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate, Decision, Signatory
from certificates.services._common import verification_url
from lsp.models import Role
from lsp.tests.factories import TEST_PASSWORD

from .helpers import (
    load_tmi,
    make_assessor,
    make_schedule,
    make_tuk,
    numbering_setup,
    organisation_setup,
    submitted_record,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Alamat email").fill(user.email)
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()


def logout(page):
    page.get_by_role("button", name="Keluar").click()


@pytest.fixture
def people(make_user, settings, live_server):
    settings.SITE_URL = live_server.url  # the QR code points at this test server
    tmi = load_tmi()
    organisation_setup()
    numbering_setup()
    staff = make_user(Role.STAFF, full_name="Rina Staf")
    chair = make_user(Role.TECHNICAL_TEAM, full_name="Dewi Ketua")
    member = make_user(Role.TECHNICAL_TEAM, full_name="Eko Anggota")
    candidate = make_user(Role.APPLICANT, full_name="Ani Wijaya", email="ani@example.test")
    assessor = make_assessor(make_user, [tmi], full_name="Budi Asesor")
    tuk = make_tuk(staff)
    schedule = make_schedule(staff, tmi, tuk, [assessor])
    record = submitted_record(candidate=candidate, staff=staff, scheme=tmi, assessor=assessor, schedule=schedule, tuk=tuk)
    return {"staff": staff, "chair": chair, "member": member, "candidate": candidate, "record": record}


def test_decision_certificate_agreement_download_and_public_verification(page, live_server, snap, people, tmp_path):
    staff, chair, member, candidate, record = (
        people["staff"], people["chair"], people["member"], people["candidate"], people["record"]
    )

    # --- Staff convene the technical team on the submitted recommendation (9.4.4).
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/certificates/meetings/")
    expect(page.get_by_test_id("awaiting")).to_be_visible()
    page.get_by_test_id("new-meeting").click()
    page.locator("#id_place").fill("Ruang Rapat LSP TMI")
    page.locator("#id_chair").select_option(str(chair.pk))
    page.locator(f"input[name=members][value='{member.pk}']").check()
    page.locator(f"input[name=records][value='{record.pk}']").check()
    snap(page, "convene")
    page.get_by_test_id("convene").click()
    expect(page.get_by_test_id("meeting-title")).to_be_visible()
    meeting_url = page.url
    logout(page)

    # --- A member verifies the recommendation and the evidence record and decides (9.4.2–9.4.4).
    login(page, live_server, member)
    snap(page, "team-dashboard")
    page.get_by_test_id("open-meeting").click()
    page.get_by_test_id(f"open-decide-{record.pk}").click()
    expect(page.get_by_test_id("record-units")).to_be_visible()
    page.locator("#id_recommendation_verified").check()
    page.locator("#id_evidence_verified").check()
    page.locator("input[name=outcome][value=granted]").check()
    page.locator("#id_notes").fill("Rekomendasi dan rekaman bukti sesuai (VATM).")
    snap(page, "decide")
    page.get_by_test_id("save-decision").click()
    expect(page.get_by_test_id(f"decision-{record.pk}")).to_contain_text("Sertifikat diberikan")
    snap(page, "decided")
    logout(page)
    assert Decision.objects.get().decided_by == member

    # --- Staff close with the Berita Acara, issue the SK and the certificates (9.4.5, 9.4.6).
    login(page, live_server, staff)
    page.goto(meeting_url)
    page.get_by_test_id("close-meeting").click()
    expect(page.get_by_test_id("minutes")).to_contain_text("/BA/TT/")
    page.locator("#id_signatory").select_option(str(Signatory.objects.get().pk))
    page.get_by_test_id("issue-letter").click()
    expect(page.get_by_test_id("letter-title")).to_contain_text("/SK/LSP/")
    page.get_by_test_id("issue-all").click()
    expect(page.get_by_test_id("run-status")).to_contain_text("1")
    snap(page, "issuance-progress")
    page.get_by_test_id("back-to-letter").click()
    certificate = Certificate.objects.get()
    expect(page.get_by_test_id("certificate-number")).to_have_text(certificate.number)
    snap(page, "sk-with-certificate")
    logout(page)

    # --- The holder sees the decision with the appeal deadline, agrees (9.8, 7.2.4) and downloads.
    login(page, live_server, candidate)
    page.goto(f"{live_server.url}/certificates/my/")
    expect(page.get_by_test_id("holder-decision")).to_contain_text("Sertifikat diberikan")
    expect(page.get_by_test_id("appeal-deadline")).to_contain_text(str(timezone.localdate().year))
    snap(page, "my-decisions")
    page.get_by_test_id("my-certificate-link").click()
    expect(page.get_by_test_id("use-rules")).to_contain_text("9.8.4")
    expect(page.get_by_test_id("download")).to_have_count(0)
    page.locator("#id_agree_use_rules").check()
    page.locator("#id_agree_ethics").check()
    snap(page, "agreement")
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("agreement-signed")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    saved = tmp_path / "sertifikat.pdf"
    download_info.value.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")
    snap(page, "downloaded")
    logout(page)

    # --- Anyone opens the QR code's address: the certificate is valid; nothing personal is shown.
    qr_url = verification_url(certificate)
    assert qr_url.startswith(live_server.url)
    page.goto(qr_url)
    expect(page.get_by_test_id("holder")).to_have_text("Ani Wijaya")
    expect(page.get_by_test_id("number")).to_have_text(certificate.number)
    expect(page.get_by_test_id("status")).to_have_class(re.compile(r"text-bg-success"))
    expect(page.locator("main")).not_to_contain_text("3273015508020001")
    snap(page, "public-verification-id")
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("public-status")).to_have_text("Valid")
    snap(page, "public-verification-en")
