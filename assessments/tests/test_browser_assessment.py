"""In Chromium: staff verify a TUK, schedule a test and assign an assessor; the assessor declares no
conflict, reviews the APL-02 and plans; the candidate agrees; the assessor records every unit of the
TMI scheme and submits "Kompeten". A second path ends "Belum Kompeten", is reopened by staff, and the
candidate gives feedback.

Selectors use form field names and test ids, so the pages can be translated without breaking this.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import AssessmentRecord, Assignment, EvidenceReview, Tuk
from assessments.services._common import candidate_units
from lsp.models import Role
from lsp.tests.factories import TEST_PASSWORD
from schemes.models import Scheme

from .conftest import make_assessor, plan_units, ready_application, review_units

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
def people(make_user):
    call_command("load_seed_schemes", verbosity=0)
    tmi = Scheme.objects.get(document_number="SCM.009A/LSP.TMI")
    staff = make_user(Role.STAFF, full_name="Rina Staf")
    candidate = make_user(Role.APPLICANT, full_name="Ani Wijaya", email="ani@example.test")
    assessor = make_assessor(make_user, [tmi], full_name="Budi Asesor")
    application = ready_application(candidate, staff, tmi)
    return {"tmi": tmi, "staff": staff, "candidate": candidate, "assessor": assessor, "application": application}


def record_unit(page, *, not_current=False, verdict="K"):
    """Fill one unit's page: a method, one evidence item with the four VATM ticks, K or BK."""
    page.locator("input[name=methods][value=observasi]").check()
    page.locator("input[name='evidence-0-description']").fill("Dokumen jadwal produksi hasil praktik")
    for rule in ("valid", "authentic", "current", "sufficient"):
        box = page.locator(f"input[name='evidence-0-{rule}']")
        if rule == "current" and not_current:
            box.uncheck()
        else:
            box.check()
    page.locator(f"input[name=verdict][value={verdict}]").check()
    page.get_by_test_id("save-unit").click()


def test_kompeten_journey(page, live_server, snap, people):
    staff, candidate, assessor, tmi = people["staff"], people["candidate"], people["assessor"], people["tmi"]
    tuk = services.tuk_create(
        actor=staff, name="TUK Politeknik Manufaktur", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Mawar 1", city="Bandung",
        contact_person="Pak Joko",
    )
    today = timezone.localdate()

    # --- Staff: verify the TUK (9.3.2), schedule the test, add the candidate, assign the assessor (9.2.2).
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/assessment/tuk/")
    page.get_by_role("link", name=tuk.name).click()
    page.locator("#id_verified_on").fill(today.isoformat())
    page.locator("#id_valid_until").fill((today + datetime.timedelta(days=365)).isoformat())
    page.locator("#id_checklist_notes").fill("Ruang uji, komputer, APD dan jalur evakuasi lengkap")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("tuk-status")).to_have_class("alert alert-success")
    snap(page, "tuk-verified")

    page.goto(f"{live_server.url}/assessment/tuk/")
    page.get_by_test_id("schedules-link").click()
    page.get_by_test_id("new-schedule").click()
    page.locator("#id_scheme").select_option(str(tmi.pk))
    page.locator("#id_tuk").select_option(str(tuk.pk))
    page.locator("#id_date").fill(today.isoformat())
    page.locator("#id_start_time").fill("08:00")
    page.locator("#id_end_time").fill("16:00")
    page.locator("#id_capacity").fill("10")
    page.locator(f"input[name=assessors][value='{assessor.pk}']").check()
    snap(page, "schedule-form")
    page.get_by_test_id("save-schedule").click()
    expect(page.get_by_test_id("schedule-title")).to_contain_text("JUK/")

    page.locator("select[name=application]").select_option(str(people["application"].pk))
    page.get_by_test_id("add-candidate").get_by_role("button").click()
    expect(page.get_by_test_id("candidate-row")).to_contain_text("Ani Wijaya")
    assignment = Assignment.objects.get()
    page.locator(f"select[name='a{assignment.pk}-assessor']").select_option(str(assessor.pk))
    page.get_by_test_id("assign-form").get_by_role("button").click()
    expect(page.get_by_test_id("candidate-row")).to_contain_text("Budi Asesor")
    snap(page, "schedule-with-candidate")
    page.goto(f"{live_server.url}/assessment/schedules/")
    expect(page.get_by_role("link", name=assignment.schedule.number)).to_be_visible()
    snap(page, "schedule-list")
    logout(page)

    # --- Assessor: declare no conflict, review APL-02 (9.2.5, 9.2.6), plan (9.2.3).
    login(page, live_server, assessor.user)
    snap(page, "assessor-dashboard")
    page.get_by_test_id("open-assignment").click()
    snap(page, "declaration")
    page.locator("input[name=has_conflict][value=no]").check()
    page.get_by_test_id("declare").click()
    units = candidate_units(people["application"])
    assert len(units) == 10
    for index in range(len(units)):
        page.locator(f"input[name='units-{index}-adequate'][value=yes]").check()
    page.locator("input[name=outcome][value=proceed]").check()
    page.locator("#id_reason").fill("Bukti APL-02 relevan dan memadai untuk semua unit")
    snap(page, "apl02-review")
    page.get_by_test_id("save-review").click()
    for index in range(len(units)):
        page.locator(f"input[name='units-{index}-methods'][value=observasi]").check()
        page.locator(f"input[name='units-{index}-methods'][value=lisan]").check()
        page.locator(f"textarea[name='units-{index}-evidence_to_collect']").fill("Hasil praktik dan jawaban lisan")
    snap(page, "plan")
    page.get_by_test_id("save-plan").click()
    expect(page.get_by_test_id("awaiting-agreement")).to_be_visible()
    logout(page)

    # --- Candidate: sees the schedule, reads the plan and agrees (9.2.4, FR.AK.01).
    login(page, live_server, candidate)
    page.goto(f"{live_server.url}/assessment/my/")
    expect(page.get_by_test_id("candidate-schedule")).to_contain_text("TUK Politeknik Manufaktur")
    snap(page, "candidate-schedule")
    page.get_by_test_id("candidate-schedule").get_by_role("link").first.click()
    expect(page.get_by_test_id("plan-status")).to_have_class("badge text-bg-warning")
    page.locator("#id_agree_plan").check()
    page.locator("#id_confidentiality").check()
    snap(page, "agreement")
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("plan-status")).to_have_class("badge text-bg-success")
    logout(page)

    # --- Assessor: every unit K with VATM met, submit "Kompeten" (9.3.3–9.3.5).
    login(page, live_server, assessor.user)
    page.get_by_test_id("open-assignment").click()
    page.get_by_test_id("go-results").click()
    for position in range(1, len(units) + 1):
        page.get_by_test_id(f"record-unit-{position}").click()
        expect(page.get_by_test_id("unit-title")).to_contain_text(units[position - 1]["code"])
        if position == 1:
            snap(page, "unit-result")
        record_unit(page)
        expect(page.get_by_test_id(f"unit-{position}")).to_contain_text("K")
    expect(page.get_by_test_id("preview")).to_contain_text("Kompeten")
    snap(page, "results-before-submit")
    page.get_by_test_id("submit-record").click()
    expect(page.get_by_test_id("submitted")).to_be_visible()
    expect(page.get_by_test_id("recommendation")).to_have_class("badge text-bg-success")
    snap(page, "submitted-kompeten")

    record = AssessmentRecord.objects.get()
    assert (record.status, record.recommendation) == ("submitted", "K")
    assert record.pdf  # FR.AK.02 built after commit
    assert record.units.count() == 10 and not record.units.exclude(verdict="K").exists()


def test_belum_kompeten_journey_reopened_by_staff(page, live_server, snap, people):
    """Set up to the agreed plan through the services; then one evidence item not "terkini" → Belum Kompeten."""
    staff, candidate, assessor, tmi, application = (
        people["staff"], people["candidate"], people["assessor"], people["tmi"], people["application"]
    )
    today = timezone.localdate()
    tuk = services.tuk_create(actor=staff, name="TUK Pabrik", tuk_type=Tuk.Type.WORKPLACE, address="KIIC", contact_person="Bu Sri")
    services.tuk_verify(
        actor=staff, tuk_id=tuk.pk, verified_on=today, valid_until=today + datetime.timedelta(days=90), checklist_notes="ok"
    )
    schedule = services.schedule_create(
        actor=staff, scheme=tmi, tuk=tuk, date=today, start_time=datetime.time(8), capacity=5, assessors=[assessor]
    )
    assignment = services.schedule_add_candidate(actor=staff, schedule=schedule, application=application)
    services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)
    services.evidence_review_record(
        actor=assessor.user, assignment=assignment, units=review_units(application),
        outcome=EvidenceReview.Outcome.PROCEED, reason="ok",
    )
    services.plan_save(
        actor=assessor.user, assignment=assignment, date=today, start_time=datetime.time(9), tuk=tuk,
        units=plan_units(application),
    )
    services.plan_agree(actor=candidate, assignment=assignment, version=1, confidentiality=True)
    units = candidate_units(application)

    login(page, live_server, assessor.user)
    page.goto(f"{live_server.url}/assessment/assessor/{assignment.pk}/results/")
    for position in range(1, len(units) + 1):
        page.get_by_test_id(f"record-unit-{position}").click()
        # Unit 3: the assessor judges K, but the evidence is not current (terkini): the unit is BK (9.3.4).
        record_unit(page, not_current=position == 3)
    expect(page.get_by_test_id("unit-3")).to_contain_text("BK")
    expect(page.get_by_test_id("preview")).to_contain_text("Belum Kompeten")
    page.locator("#id_follow_up").fill("Kumpulkan bukti terkini untuk unit C.290MM01.014.1 dan ikuti asesmen ulang.")
    snap(page, "results-belum-kompeten")
    page.get_by_test_id("submit-record").click()
    expect(page.get_by_test_id("recommendation")).to_have_class("badge text-bg-danger")
    record = AssessmentRecord.objects.get()
    assert (record.status, record.recommendation) == ("submitted", "BK")
    logout(page)

    # Staff reopen it with a reason (audited); the assessor corrects and submits again.
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/assessment/records/{record.pk}/")
    snap(page, "staff-record")
    page.locator("#id_reason").fill("Catatan tindak lanjut perlu dilengkapi")
    page.get_by_test_id("reopen").click()
    expect(page.get_by_test_id("recommendation")).to_have_count(0)
    logout(page)

    login(page, live_server, assessor.user)
    page.goto(f"{live_server.url}/assessment/assessor/{assignment.pk}/results/")
    page.locator("#id_follow_up").fill("Lengkapi bukti terkini unit 3; asesmen ulang setelah 1 bulan.")
    page.get_by_test_id("submit-record").click()
    expect(page.get_by_test_id("recommendation")).to_have_class("badge text-bg-danger")
    logout(page)

    # The candidate sees the recommendation and gives feedback (FR.AK.03).
    login(page, live_server, candidate)
    page.goto(f"{live_server.url}/assessment/my/{assignment.pk}/")
    expect(page.get_by_test_id("recommendation")).to_have_class("badge text-bg-danger")
    for radio in page.locator("[data-testid=feedback-form] input[type=radio][value=yes]").all():
        radio.check()
    snap(page, "candidate-result-feedback")
    page.get_by_test_id("feedback-form").get_by_role("button").click()
    expect(page.get_by_test_id("feedback-form")).to_have_count(0)
    record.refresh_from_db()
    assert (record.status, record.recommendation, record.reopen_count) == ("submitted", "BK", 1)
