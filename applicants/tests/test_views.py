"""Every page × every kind of visitor: anonymous → login, wrong role → 403, someone else's → 404 (7.1.3)."""

import pytest
from django.urls import reverse

from applicants import services
from applicants.models import Application, Document
from applicants.permissions import _viewer_rules, register_viewer_rule
from applicants.tasks import build_application_pdfs
from lsp.models import Role

from .conftest import reload, review_all, storage_files
from .files import good_pdf

pytestmark = pytest.mark.django_db

APPLICANT_PAGES = ["detail", "personal", "work", "purpose", "documents", "self-assessment", "submit", "invoice"]
STAFF_PAGES = ["review"]


@pytest.fixture
def owned(accepted):
    """An accepted application, so its invoice page exists."""
    return accepted


@pytest.fixture
def with_pdfs(accepted):
    build_application_pdfs.apply(args=[accepted.pk])
    return reload(accepted)


def _url(name, application):
    return reverse(f"applicants:{name}", args=[application.pk])


@pytest.mark.parametrize("name", APPLICANT_PAGES + STAFF_PAGES)
def test_anonymous_is_sent_to_login(client, owned, name):
    url = _url(name, owned)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", APPLICANT_PAGES)
def test_owner_sees_own_pages(client, owned, applicant, name):
    client.force_login(applicant)
    response = client.get(_url(name, owned), follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("name", APPLICANT_PAGES)
def test_another_applicant_gets_404(client, owned, other_applicant, name):
    client.force_login(other_applicant)
    assert client.get(_url(name, owned)).status_code == 404


@pytest.mark.parametrize("name", APPLICANT_PAGES)
@pytest.mark.parametrize("role", [Role.STAFF, Role.ASSESSOR, Role.TECHNICAL_TEAM])
def test_other_roles_are_refused_the_applicants_pages(client_as, owned, name, role):
    assert client_as(role).get(_url(name, owned)).status_code == 403


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ASSESSOR, Role.APPEAL_TEAM])
def test_staff_pages_refuse_other_roles(client_as, owned, role):
    client = client_as(role)
    assert client.get(_url("review", owned)).status_code == 403
    assert client.get(reverse("applicants:review-queue")).status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admin_see_the_queue_and_the_review(client_as, owned, role):
    client = client_as(role)
    page = client.get(reverse("applicants:review-queue")).content.decode()
    assert owned.reference in page
    assert client.get(_url("review", owned)).status_code == 200


def test_post_only_actions_refuse_get(client, submitted, staff):
    client.force_login(staff)
    for name in ["accept", "reject", "request-revision", "payment-verify", "payment-reject", "payment-sponsor"]:
        assert client.get(_url(name, submitted)).status_code == 405, name


# --- files -----------------------------------------------------------------------------------


def test_document_download_is_an_attachment_with_nosniff(client, owned, applicant):
    document = owned.documents.filter(content_type="application/pdf").first()
    client.force_login(applicant)
    response = client.get(reverse("applicants:document", args=[document.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert document.original_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_document_is_404_for_another_applicant_and_an_assessor(client, client_as, owned, other_applicant):
    url = reverse("applicants:document", args=[owned.documents.first().uuid])
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    assert client_as(Role.ASSESSOR).get(url).status_code == 404


def test_staff_open_documents(client_as, owned):
    url = reverse("applicants:document", args=[owned.documents.first().uuid])
    assert client_as(Role.STAFF).get(url).status_code == 200


def test_a_later_app_can_let_the_assigned_assessor_see_the_files(client_as, with_pdfs):
    owned = with_pdfs
    client = client_as(Role.ASSESSOR)
    assessor = client.user

    def assigned(user, application):
        return user.pk == assessor.pk and application.pk == owned.pk

    register_viewer_rule(assigned)
    try:
        document = owned.documents.first()
        assert client.get(reverse("applicants:document", args=[document.uuid])).status_code == 200
        assert client.get(reverse("applicants:pdf", args=[owned.pk, "apl02"])).status_code == 200
    finally:
        _viewer_rules.remove(assigned)
    assert client.get(reverse("applicants:document", args=[document.uuid])).status_code == 404


def test_no_document_is_reachable_from_a_public_url(client, owned, settings):
    for document in owned.documents.all():
        assert not document.storage_name.startswith(("/", "http"))
        assert client.get("/" + document.storage_name).status_code == 404
        assert client.get(f"{settings.MEDIA_URL or '/media/'}{document.storage_name}").status_code == 404


def test_apl_pdfs_are_built_replaced_on_rerun_and_served_to_owner_and_staff(
    client, client_as, with_pdfs, applicant, other_applicant
):
    owned = with_pdfs
    first = (owned.apl01_pdf, owned.apl02_pdf)
    pdfs = [path for path in storage_files() if path.suffix == ".pdf" and "APL-0" in path.name]
    build_application_pdfs.apply(args=[owned.pk])
    again = reload(owned)
    assert (again.apl01_pdf, again.apl02_pdf) == first
    assert [path for path in storage_files() if path.suffix == ".pdf" and "APL-0" in path.name] == pdfs
    assert len(pdfs) == 2
    client.force_login(applicant)
    response = client.get(reverse("applicants:pdf", args=[owned.pk, "apl01"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "APL-01" in response["Content-Disposition"]
    assert client_as(Role.STAFF).get(reverse("applicants:pdf", args=[owned.pk, "apl02"])).status_code == 200
    client.force_login(other_applicant)
    assert client.get(reverse("applicants:pdf", args=[owned.pk, "apl01"])).status_code == 404


# --- start -----------------------------------------------------------------------------------


def test_start_sends_anonymous_visitors_to_login_with_next(client, tmi):
    url = reverse("applicants:start", args=[tmi.slug])
    response = client.get(url)
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_start_shows_the_scheme_then_creates_a_draft(client, applicant, tmi):
    client.force_login(applicant)
    url = reverse("applicants:start", args=[tmi.slug])
    assert "Rp 2.000.000" in client.get(url).content.decode()
    response = client.post(url)
    application = Application.objects.get(applicant=applicant)
    assert response["Location"] == reverse("applicants:personal", args=[application.pk])
    # Coming back resumes the same application.
    assert client.get(url)["Location"] == reverse("applicants:detail", args=[application.pk])


def test_start_is_404_for_an_unknown_or_inactive_scheme(client, applicant, tmi):
    client.force_login(applicant)
    assert client.get(reverse("applicants:start", args=["tidak-ada"])).status_code == 404
    tmi.status = "draft"
    tmi.save()
    assert client.get(reverse("applicants:start", args=[tmi.slug])).status_code == 404


# --- forms through the pages -----------------------------------------------------------------


def test_personal_step_refuses_a_nik_that_does_not_match_the_birth_date(client, draft, applicant):
    client.force_login(applicant)
    data = {
        "full_name": "Ani",
        "nik": "3273011508020001",
        "birth_place": "Bandung",
        "birth_date": "2002-08-15",
        "sex": "female",
        "nationality": "Indonesia",
        "address": "Jl. A",
        "postcode": "40111",
        "phone_mobile": "0812",
        "email": "ani@example.test",
        "education": "sma",
    }
    response = client.post(_url("personal", draft), data)
    assert response.status_code == 200
    assert "40 added" in response.content.decode()
    assert reload(draft).nik == "3273015508020001"


def test_staff_revision_through_the_page_shows_on_the_applicants_side(client, submitted, staff, applicant):
    review_all(submitted, staff)
    ktp = submitted.documents.get(requirement__clause="9.1.2.a")
    client.force_login(staff)
    client.post(
        reverse("applicants:review-document", args=[submitted.pk, ktp.uuid]),
        {"verdict": "fails", "note": "Buram sekali"},
    )
    client.post(_url("request-revision", submitted), {"note": "Perbaiki KTP", "sections": ["work"]})
    assert reload(submitted).status == Application.Status.REVISION_REQUESTED
    client.force_login(applicant)
    page = client.get(_url("detail", submitted)).content.decode()
    assert "Perbaiki KTP" in page and "Buram sekali" in page
    # The parts not asked for stay closed; the documents are open again.
    assert client.get(_url("personal", submitted))["Location"] == _url("detail", submitted)
    assert client.get(_url("work", submitted)).status_code == 200


def test_queue_filters_and_search(client_as, submitted, other_applicant, tmi, student_path):
    from .conftest import fill_draft

    other = fill_draft(services.application_start(actor=other_applicant, scheme=tmi), other_applicant, student_path)
    services.application_update_section(
        actor=other_applicant, application=other, section="personal", data={"full_name": "Budi Santoso"}
    )
    services.application_submit(actor=other_applicant, application=other, declaration=True, consent=True)
    client = client_as(Role.STAFF)
    queue = reverse("applicants:review-queue")
    page = client.get(queue, {"q": "budi"}).content.decode()
    assert "Budi Santoso" in page and "Ani Wijaya" not in page
    page = client.get(queue, {"status": "accepted"}).content.decode()
    assert "Budi Santoso" not in page
    page = client.get(queue, {"scheme": tmi.pk, "status": "submitted"}).content.decode()
    assert "Budi Santoso" in page and "Ani Wijaya" in page


def test_upload_through_the_page_then_download(client, draft, applicant):
    requirement_id = draft.documents.first().requirement_id
    client.force_login(applicant)
    response = client.post(
        reverse("applicants:upload-requirement", args=[draft.pk, requirement_id]),
        {f"r{requirement_id}-requirement": requirement_id, f"r{requirement_id}-file": good_pdf("ijazah scan.pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.filter(application=draft, original_name="ijazah scan.pdf").get()
    assert client.get(reverse("applicants:document", args=[document.uuid])).status_code == 200


# --- dashboards ------------------------------------------------------------------------------


def test_applicant_dashboard_shows_each_application_with_what_to_do_next(client, accepted, applicant):
    client.force_login(applicant)
    page = client.get(reverse("dashboard-applicant")).content.decode()
    assert accepted.reference in page
    assert accepted.invoice.number in page  # the next thing to do: pay this invoice
    assert 'data-testid="timeline"' in page


def test_staff_dashboard_counts_what_waits(client_as, submitted):
    page = client_as(Role.STAFF).get(reverse("dashboard-staff")).content.decode()
    assert 'data-testid="staff-counts"' in page
    assert reverse("applicants:review-queue") in page
