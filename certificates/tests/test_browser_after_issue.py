"""In Chromium: a "Belum Kompeten" candidate files an appeal in time (9.9.2); staff acknowledge it and form an appeal
team of people not involved (9.9.4); the team grants it (9.9.7); staff issue the SK based on the appeal decision and
the certificate follows. Then staff suspend the holder (9.5) and the public verification page says so at once.

The "Belum Kompeten" decision is reached through the real services, as the other tests do.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates import services
from certificates.models import Appeal, Certificate, Decision, Signatory
from certificates.services._common import verification_url
from lsp.models import Role, UserRole
from schemes.selectors import scheme_suspension_grounds

from .helpers import (
    convene,
    decide,
    load_tmi,
    make_assessor,
    make_schedule,
    make_tuk,
    numbering_setup,
    organisation_setup,
    submitted_record,
)
from .test_browser import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(make_user, settings, live_server):
    settings.SITE_URL = live_server.url
    tmi = load_tmi()
    organisation_setup()
    numbering_setup()
    staff = make_user(Role.STAFF, full_name="Rina Staf")
    chair = make_user(Role.TECHNICAL_TEAM, full_name="Dewi Ketua")
    member = make_user(Role.TECHNICAL_TEAM, full_name="Eko Anggota")
    panel = make_user(Role.APPEAL_TEAM, full_name="Sari Banding")
    candidate = make_user(Role.APPLICANT, full_name="Budi Belum", email="budi@example.test")
    assessor = make_assessor(make_user, [tmi], full_name="Budi Asesor")
    tuk = make_tuk(staff)
    schedule = make_schedule(staff, tmi, tuk, [assessor])
    record = submitted_record(
        candidate=candidate, staff=staff, scheme=tmi, assessor=assessor, schedule=schedule, tuk=tuk, verdict="BK"
    )
    meeting = convene(staff, chair, [record], members=[member])
    decide(member, meeting, record, Decision.Outcome.NOT_GRANTED, notes="Bukti unit 1 belum memadai")
    services.meeting_close(actor=staff, meeting=meeting)
    UserRole.objects.create(user=member, role=Role.APPEAL_TEAM)  # also on the appeal team, but decided this case
    return {"tmi": tmi, "staff": staff, "panel": panel, "candidate": candidate, "member": member}


def test_appeal_granted_then_certificate_then_suspension_on_the_public_page(page, live_server, snap, people):
    staff, panel, candidate, tmi = people["staff"], people["panel"], people["candidate"], people["tmi"]

    # --- The candidate sees "tidak diberikan" with the deadline and files FR.AK.04 in time (9.9.2, 9.9.3).
    login(page, live_server, candidate)
    expect(page.get_by_test_id("appeal-deadline")).to_contain_text(str(timezone.localdate().year))
    snap(page, "candidate-dashboard")
    page.get_by_test_id("file-appeal").click()
    expect(page.get_by_test_id("appeal-form-title")).to_be_visible()
    page.locator("input[name=process_explained][value=yes]").check()
    page.locator("input[name=discussed_with_assessor][value=yes]").check()
    page.locator("input[name=involves_other_person][value=no]").check()
    page.locator("#id_reasons").fill("Bukti praktik unit 1 tidak dinilai; saya membawa jadwal produksi asli.")
    page.locator("#id_confirm").check()
    snap(page, "appeal-form")
    page.get_by_test_id("submit-appeal").click()
    expect(page.get_by_test_id("appeal-title")).to_contain_text("BDG/")
    snap(page, "appeal-filed")
    logout(page)
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.FILED

    # --- Staff acknowledge receipt (the 14-working-day clock starts, 9.9.6) and form the team (9.9.4).
    login(page, live_server, staff)
    expect(page.get_by_test_id("staff-after-issue")).to_be_visible()
    page.get_by_test_id("staff-after-issue").get_by_role("link", name=re.compile("9.9")).click()
    page.get_by_test_id("appeal-link").first.click()
    page.get_by_test_id("receive-appeal").click()
    expect(page.get_by_test_id("days-left")).to_contain_text("14")
    # The technical team member who decided may not sit on the team: the form shows why and does not offer them.
    expect(page.locator(f"input[name=members][value='{people['member'].pk}']")).to_be_disabled()
    expect(page.get_by_test_id("panel-form")).to_contain_text("Eko Anggota")
    page.locator(f"input[name=members][value='{panel.pk}']").check()
    snap(page, "appeal-team")
    page.get_by_test_id("form-panel").click()
    expect(page.get_by_test_id("appeal-panel")).to_contain_text("Sari Banding")
    logout(page)

    # --- The appeal team sees the due date and decides: granted (binding, 9.9.7).
    login(page, live_server, panel)
    expect(page.get_by_test_id("team-appeals")).to_contain_text(appeal.number)
    snap(page, "team-dashboard")
    page.get_by_test_id("open-appeal").click()
    page.locator("input[name=outcome][value=granted]").check()
    page.locator("#id_reason").fill("Bukti unit 1 memenuhi VATM setelah ditelusuri; keputusan diubah.")
    snap(page, "team-decides")
    page.get_by_test_id("decide-appeal").click()
    expect(page.get_by_test_id("appeal-outcome")).to_contain_text("KEP-BANDING")
    logout(page)

    # --- Staff issue the SK based on the appeal decision; the certificate follows (9.4.5, 9.4.6).
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/certificates/appeals/{appeal.pk}/")
    page.locator("#id_signatory").select_option(str(Signatory.objects.get().pk))
    page.get_by_test_id("issue-appeal-certificate").click()
    certificate = Certificate.objects.get()
    expect(page.locator("h1")).to_contain_text(certificate.number)
    snap(page, "certificate-from-appeal")
    assert certificate.holder == candidate and certificate.letter.appeal == appeal

    # --- Later, staff suspend the holder (9.5): a case on the scheme's ground, then the suspension.
    page.get_by_test_id("open-sanction").click()
    page.locator("#id_ground").select_option(str(scheme_suspension_grounds(scheme=tmi).first().pk))
    page.locator("#id_description").fill("Sertifikat dipakai untuk pekerjaan di luar ruang lingkupnya.")
    page.get_by_test_id("open-case").click()
    page.locator("#id_suspend-reason").fill("Penyalahgunaan sertifikat (7.2.1).")
    page.locator("#id_suspend-decision_reference").fill("021/SK/LSP/XI/2026")
    snap(page, "suspend")
    page.get_by_test_id("suspend").click()
    expect(page.get_by_test_id("case-status")).to_contain_text(re.compile("suspended|dibekukan", re.I))
    snap(page, "suspended")
    logout(page)

    # --- The public page opened from the QR code's address says so on the very next request.
    page.goto(verification_url(certificate))
    expect(page.get_by_test_id("status")).to_have_class(re.compile(r"text-bg-warning"))
    expect(page.get_by_test_id("public-status")).to_have_text("Dibekukan")
    snap(page, "public-suspended-id")
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("public-status")).to_have_text("Suspended (dibekukan)")
    snap(page, "public-suspended-en")

    # --- The holder sees the suspension and the duty to return the certificate (9.8.4).
    page.get_by_test_id("lang-id").click()
    login(page, live_server, candidate)
    page.goto(f"{live_server.url}/certificates/my/{certificate.pk}/")
    expect(page.get_by_test_id("status-banner")).to_be_visible()
    expect(page.get_by_test_id("return-duty")).to_contain_text("9.8.4")
    snap(page, "holder-suspended")
