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
