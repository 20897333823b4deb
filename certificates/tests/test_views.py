"""Every page × every role: anonymous → login, wrong role → 403, someone else's → 404, right role → 200.
Plus the forms posted through the views, and the BNSP blanko package."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from certificates.models import Decision, IssuanceRun, TechnicalMeeting
from lsp.models import Role

from .helpers import convene, decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(certificate, letter, staff, chair, member, candidate, assessor, make_user):
    return {
        "meeting": letter.meeting,
        "letter": letter,
        "certificate": certificate,
        "record": certificate.decision.record,
        "staff": staff,
        "chair": chair,
        "member": member,
        "candidate": candidate,
        "assessor": assessor.user,
        "other_applicant": make_user(Role.APPLICANT),
        "other_team": make_user(Role.TECHNICAL_TEAM),
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


STAFF_PAGES = [
    ("certificates:meeting-create", None),
    ("certificates:letter-list", None),
    ("certificates:letter-detail", "letter"),
    ("certificates:letter-progress", "letter"),
    ("certificates:letter-pdf", "letter"),
    ("certificates:letter-package", "letter"),
    ("certificates:certificate-list", None),
    ("certificates:certificate-detail", "certificate"),
    ("certificates:certificate-pdf", "certificate"),
]


def _url(world, name, obj):
    return reverse(name, args=[world[obj].pk]) if obj else reverse(name)


@pytest.mark.parametrize(("name", "obj"), STAFF_PAGES)
def test_staff_pages(client, world, name, obj):
    url = _url(world, name, obj)
    assert _get(client, None, url).status_code == 302
    for role in ("assessor", "candidate", "member"):
        assert _get(client, world[role], url).status_code == 403, role
    assert _get(client, world["staff"], url).status_code == 200


@pytest.mark.parametrize("name", ["certificates:meeting-detail", "certificates:minutes-pdf"])
def test_meeting_pages_for_staff_and_its_members_only(client, world, name):
    url = reverse(name, args=[world["meeting"].pk])
    assert _get(client, None, url).status_code == 302
    assert _get(client, world["candidate"], url).status_code == 403
    assert _get(client, world["other_team"], url).status_code == 404
    for role in ("staff", "chair", "member"):
        assert _get(client, world[role], url).status_code == 200, role


def test_decide_page_for_members_only(client, world):
    url = reverse("certificates:decide", args=[world["meeting"].pk, world["record"].pk])
    assert _get(client, world["staff"], url).status_code == 403  # staff convene; only the team decides (9.4.2)
    assert _get(client, world["other_team"], url).status_code == 404
    assert _get(client, world["member"], url).status_code == 200


@pytest.mark.parametrize("name", ["certificates:my-certificate", "certificates:my-certificate-download"])
def test_holder_pages_answer_404_for_another_applicant(client, world, name):
    url = reverse(name, args=[world["certificate"].pk])
    assert _get(client, None, url).status_code == 302
    assert _get(client, world["staff"], url).status_code == 403
    assert _get(client, world["other_applicant"], url).status_code == 404
    assert _get(client, world["candidate"], url).status_code in (200, 302)


def test_my_list_only_shows_my_own(client, world):
    assert world["certificate"].number in _get(client, world["candidate"], reverse("certificates:my-list")).content.decode()
    assert world["certificate"].number not in _get(
        client, world["other_applicant"], reverse("certificates:my-list")
    ).content.decode()


def test_pages_post_only_where_they_act(client, world):
    client.force_login(world["staff"])
    assert client.get(reverse("certificates:meeting-close", args=[world["meeting"].pk])).status_code == 405
    assert client.get(reverse("certificates:letter-issue", args=[world["letter"].pk])).status_code == 405


def test_staff_convene_and_member_decides_through_the_forms(
    client, staff, chair, member, record, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    response = client.post(
        reverse("certificates:meeting-create"),
        {"date": "2026-01-05", "place": "Ruang Rapat", "chair": chair.pk, "members": [member.pk], "records": [record.pk]},
    )
    meeting = TechnicalMeeting.objects.get()
    assert response.url == reverse("certificates:meeting-detail", args=[meeting.pk])
    assert set(meeting.members.all()) == {chair, member}
    client.force_login(member)
    url = reverse("certificates:decide", args=[meeting.pk, record.pk])
    client.post(url, {"outcome": "granted", "recommendation_verified": "on"})  # evidence not verified
    assert not Decision.objects.exists()
    client.post(url, {"outcome": "granted", "recommendation_verified": "on", "evidence_verified": "on"})
    assert Decision.objects.get().decided_by == member
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:meeting-close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == TechnicalMeeting.Status.CLOSED and meeting.minutes_pdf


def test_bulk_issue_then_progress_page_reloads_while_running(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["staff"])
    letter = world["letter"]
    IssuanceRun.objects.create(letter=letter, total=3, done=1, started_by=world["staff"])
    response = client.get(reverse("certificates:letter-progress", args=[letter.pk]))
    assert '<meta http-equiv="refresh" content="2">' in response.content.decode()
    IssuanceRun.objects.update(status=IssuanceRun.Status.FINISHED, done=3)
    response = client.get(reverse("certificates:letter-progress", args=[letter.pk]))
    assert "refresh" not in response.content.decode() and "3 of 3 issued" in response.content.decode()


def test_progress_moves_with_every_certificate_while_the_run_goes(client, staff, letter, decision, django_capture_on_commit_callbacks):
    """9.4.6: the run counts a part of its SK at a time; the page counts the SK's certificates as each is issued."""
    from certificates import services

    client.force_login(staff)
    IssuanceRun.objects.create(letter=letter, total=1, status=IssuanceRun.Status.RUNNING, started_by=staff)
    url = reverse("certificates:letter-progress", args=[letter.pk])
    assert "0 of 1 issued" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_issue(actor=staff, decision=decision)  # one certificate of the part, not yet counted
    page = client.get(url).content.decode()
    assert "1 of 1 issued" in page and 'value="1"' in page


def test_blanko_package_holds_participants_xlsx_ba_and_sk(client, staff, chair, member, record, bk_record, series):
    from .helpers import close_and_letter

    meeting = convene(staff, chair, [record, bk_record], members=[member])
    decide(member, meeting, record)
    decide(member, meeting, bk_record, Decision.Outcome.NOT_GRANTED)
    letter = close_and_letter(staff, meeting)
    client.force_login(staff)
    response = client.get(reverse("certificates:letter-package", args=[letter.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 3
    assert any(n.startswith("berita-acara-") and n.endswith(".pdf") for n in names)
    assert any(n.startswith("sk-") and n.endswith(".pdf") for n in names)
    for name in names:
        if name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(archive.read(next(n for n in names if n.endswith(".xlsx"))))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    for column in ("Nama", "NIK", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Alamat", "Telepon", "Email",
                   "Pendidikan", "Pekerjaan", "Skema", "Hasil (K/BK)", "No. Reg. Asesor (MET)", "TUK", "Tanggal Uji",
                   "Sumber Dana"):
        assert column in header, column
    by_name = {row[header.index("Nama")]: row for row in rows[1:]}
    assert set(by_name) == {"Ani Wijaya", "Budi Belum"}
    assert by_name["Ani Wijaya"][header.index("Hasil (K/BK)")] == "K"
    assert by_name["Budi Belum"][header.index("Hasil (K/BK)")] == "BK"
    assert by_name["Ani Wijaya"][header.index("NIK")] == "3273015508020001"
    assert by_name["Ani Wijaya"][header.index("No. Reg. Asesor (MET)")].startswith("MET.")
    assert by_name["Ani Wijaya"][header.index("TUK")] == "TUK Politeknik"


def test_bnsp_numbers_imported_from_xlsx(client, world):
    workbook = Workbook()
    workbook.active.append(["Nomor sertifikat", "No. Registrasi", "No. Blanko"])
    workbook.active.append([world["certificate"].number, "REG 0001 2026", "BLK-000123"])
    workbook.active.append(["tidak ada", "x", "y"])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "bnsp.xlsx"
    client.force_login(world["staff"])
    client.post(reverse("certificates:letter-import-numbers", args=[world["letter"].pk]), {"file": upload})
    world["certificate"].refresh_from_db()
    assert (world["certificate"].bnsp_registration_number, world["certificate"].blanko_number) == (
        "REG 0001 2026", "BLK-000123"
    )


def test_technical_team_dashboard_lists_open_meetings(client, staff, chair, member, record):
    meeting = convene(staff, chair, [record], members=[member])
    client.force_login(member)
    html = client.get(reverse("dashboard-technical-team")).content.decode()
    assert reverse("certificates:meeting-detail", args=[meeting.pk]) in html
    assert "1 candidate waiting" in html


# --- after issue: surveillance, sanctions, appeals, re-certification ---------------------------------


@pytest.fixture
def after(world, panel_appeal, appeal_member, appeal_member2, case, staff):
    from applicants.tests.files import good_pdf
    from certificates import services

    surveillance = world["certificate"].surveillances.get(period=1)
    services.surveillance_evidence_submit(
        actor=world["candidate"], surveillance=surveillance, statement="Masih berpraktik", files=[good_pdf("logbook.pdf")]
    )
    return {
        **world,
        "appeal": panel_appeal,
        "appellant": panel_appeal.appellant,
        "decision": panel_appeal.decision,
        "surveillance": surveillance,
        "surveillance_file": surveillance.files.get(),
        "case": case,
        "step": case.steps.create(kind="warning", warning_number=1, effective_date=case.opened_at.date(), reason="x", created_by=staff),
        "panel_member": appeal_member,
        "other_panel": appeal_member2,
    }


AFTER_STAFF_PAGES = [
    ("certificates:surveillance-list", None),
    ("certificates:surveillance-detail", "surveillance"),
    ("certificates:sanction-list", None),
    ("certificates:sanction-detail", "case"),
    ("certificates:sanction-open", "certificate"),
]


@pytest.mark.parametrize(("name", "obj"), AFTER_STAFF_PAGES)
def test_after_issue_staff_pages(client, after, name, obj):
    url = _url(after, name, obj)
    assert _get(client, None, url).status_code == 302
    for role in ("assessor", "candidate", "member", "panel_member"):
        assert _get(client, after[role], url).status_code == 403, role
    assert _get(client, after["staff"], url).status_code == 200


def test_appeal_pages_for_staff_and_the_appeals_team_only(client, after):
    listing = reverse("certificates:appeal-list")
    detail = reverse("certificates:appeal-detail", args=[after["appeal"].pk])
    for url in (listing, detail):
        assert _get(client, None, url).status_code == 302
        for role in ("candidate", "appellant", "assessor", "member"):
            assert _get(client, after[role], url).status_code == 403, role
        assert _get(client, after["staff"], url).status_code == 200
        assert _get(client, after["panel_member"], url).status_code == 200
    assert _get(client, after["other_panel"], listing).status_code == 200
    assert after["appeal"].number not in _get(client, after["other_panel"], listing).content.decode()
    assert _get(client, after["other_panel"], detail).status_code == 404  # not on this appeal's team


@pytest.mark.parametrize(
    ("name", "obj", "owner"),
    [
        ("certificates:my-appeal", "appeal", "appellant"),
        ("certificates:appeal-file", "decision", "appellant"),
        ("certificates:my-surveillance", "surveillance", "candidate"),
        ("certificates:recertify", "certificate", "candidate"),
    ],
)
def test_after_issue_holder_pages_answer_404_for_another_applicant(client, after, name, obj, owner):
    url = _url(after, name, obj)
    assert _get(client, None, url).status_code == 302
    assert _get(client, after["staff"], url).status_code == 403
    assert _get(client, after["panel_member"], url).status_code == 403
    assert _get(client, after["other_applicant"], url).status_code == 404
    assert _get(client, after[owner], url).status_code in (200, 302)


def test_after_issue_files_only_for_those_who_may_see_them(client, after):
    attachment = after["appeal"].attachments.create(
        uploaded_by=after["appellant"], storage_name="certificates/appeals/x.pdf", original_name="x.pdf",
        content_type="application/pdf", size=1, sha256="0",
    )
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("certificates/appeals/x.pdf", ContentFile(b"%PDF-1.4"))
    appeal_file = reverse("certificates:appeal-attachment", args=[after["appeal"].pk, attachment.uuid])
    for role in ("appellant", "staff", "panel_member"):
        assert _get(client, after[role], appeal_file).status_code == 200, role
    for role in ("other_panel", "other_applicant", "assessor", "member"):
        assert _get(client, after[role], appeal_file).status_code == 404, role
    logbook = reverse("certificates:surveillance-file", args=[after["surveillance"].pk, after["surveillance_file"].uuid])
    for role in ("candidate", "staff"):
        assert _get(client, after[role], logbook).status_code == 200, role
    for role in ("other_applicant", "panel_member", "assessor"):
        assert _get(client, after[role], logbook).status_code == 404, role
    assert _get(client, None, logbook).status_code == 302


POST_ONLY = [
    ("certificates:sanction-warn", ["case"], "staff"),
    ("certificates:sanction-suspend", ["case"], "staff"),
    ("certificates:sanction-reinstate", ["case"], "staff"),
    ("certificates:sanction-revoke", ["case"], "staff"),
    ("certificates:sanction-close", ["case"], "staff"),
    ("certificates:sanction-return", ["case", "step"], "staff"),
    ("certificates:recertification-override", ["certificate"], "staff"),
    ("certificates:appeal-receive", ["appeal"], "staff"),
    ("certificates:appeal-panel", ["appeal"], "staff"),
    ("certificates:appeal-issue", ["appeal"], "staff"),
    ("certificates:appeal-reassess", ["appeal"], "staff"),
    ("certificates:appeal-decide", ["appeal"], "panel_member"),
    ("certificates:my-appeal-withdraw", ["appeal"], "appellant"),
]


@pytest.mark.parametrize(("name", "objs", "role"), POST_ONLY)
def test_after_issue_actions_post_only_and_for_their_role(client, after, name, objs, role):
    url = reverse(name, args=[after[obj].pk for obj in objs])
    assert _get(client, after[role], url).status_code == 405
    client.logout()
    assert client.post(url).status_code == 302 and "/accounts/login/" in client.post(url).url
    wrong = "candidate" if role != "appellant" else "staff"
    client.force_login(after[wrong])
    assert client.post(url).status_code == 403


def test_an_appeal_team_member_not_on_the_team_cannot_decide(client, after):
    client.force_login(after["other_panel"])
    url = reverse("certificates:appeal-decide", args=[after["appeal"].pk])
    assert client.post(url, {"outcome": "granted", "reason": "x"}).status_code == 404
    after["appeal"].refresh_from_db()
    assert after["appeal"].status == "received"


def test_dashboards_show_the_after_issue_blocks(client, after):
    client.force_login(after["staff"])
    html = client.get(reverse("dashboard-staff")).content.decode()
    assert 'data-testid="staff-after-issue"' in html and reverse("certificates:appeal-list") in html
    client.force_login(after["panel_member"])
    html = client.get(reverse("dashboard-appeal-team")).content.decode()
    assert reverse("certificates:appeal-detail", args=[after["appeal"].pk]) in html
