"""Editing schemes in the Django admin: refusals leave the database as it was; delete only when unused."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lsp.models import AuditEvent
from schemes.models import PrerequisiteCondition, Scheme
from schemes.services import ACTIVE_NEEDS_ALTERNATIVE, ACTIVE_NEEDS_UNIT, scheme_export

from .forms_html import form_data
from .snapshots import row_counts

# The admin pages here are English (the admin account's language); messages are compared in English.
pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture(autouse=True)
def _english_admin(admin_client, settings):
    # Messages are checked in English (Django's own admin messages are translated in Indonesian).
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _change_url(scheme):
    return reverse("admin:schemes_scheme_change", args=[scheme.pk])


def _change_form(admin_client, scheme):
    response = admin_client.get(_change_url(scheme))
    assert response.status_code == 200
    return form_data(response.content.decode(), "scheme_form")


def _refused(response):
    """The admin answered with the form again (200) and its error list, not a redirect."""
    assert response.status_code == 200, "the admin saved what it should have refused"
    return response.content.decode()


def test_unchanged_form_saves_without_changes(admin_client, tmi):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    response = admin_client.post(_change_url(tmi), data)
    assert response.status_code == 302
    assert scheme_export(scheme=tmi) == before


def test_bad_unit_code_is_refused_section_5(admin_client, tmi):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    data["units-0-code"] = "C 281930 002 01"
    data["units-1-title"] = "Changed in the same request"
    html = _refused(admin_client.post(_change_url(tmi), data))
    assert "Enter a unit code as written in the standard" in html
    assert scheme_export(scheme=tmi) == before


def test_duplicate_unit_code_in_one_scheme_is_refused(admin_client, tmi):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    data["units-1-code"] = data["units-0-code"]
    html = _refused(admin_client.post(_change_url(tmi), data))
    assert "Please correct the duplicate data for code." in html
    assert scheme_export(scheme=tmi) == before


def test_new_unit_with_an_existing_code_is_refused(admin_client, tmi):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    data["units-10-code"] = "M.702092.009.01"
    data["units-10-title"] = "Duplikat"
    data["units-10-standard_type"] = "skkni"
    html = _refused(admin_client.post(_change_url(tmi), data))
    assert "Please correct the duplicate data for code." in html
    assert scheme_export(scheme=tmi) == before


def test_negative_fee_is_refused_section_8(admin_client, tmi):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    data["fee"] = "-1"
    _refused(admin_client.post(_change_url(tmi), data))
    assert scheme_export(scheme=tmi) == before


@pytest.mark.parametrize(
    "parameter",
    [
        "certificate_validity_years",
        "surveillance_interval_months",
        "recertification_lead_months",
        "appeal_window_days",
        "appeal_decision_working_days",
    ],
)
def test_zero_parameter_is_refused(admin_client, tmi, parameter):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    data[parameter] = "0"
    _refused(admin_client.post(_change_url(tmi), data))
    assert scheme_export(scheme=tmi) == before


def test_removing_every_unit_of_an_active_scheme_is_refused(admin_client, renbang):
    before = scheme_export(scheme=renbang)
    data = _change_form(admin_client, renbang)
    data["units-0-DELETE"] = "on"
    data["units-1-DELETE"] = "on"
    data["fee"] = "1"  # a valid change in the same request is not saved either
    html = _refused(admin_client.post(_change_url(renbang), data))
    assert str(ACTIVE_NEEDS_UNIT) in html
    assert scheme_export(scheme=renbang) == before


def test_removing_every_alternative_of_an_active_scheme_is_refused(admin_client, renbang):
    before = scheme_export(scheme=renbang)
    data = _change_form(admin_client, renbang)
    for i in range(4):
        data[f"prerequisite_alternatives-{i}-DELETE"] = "on"
    html = _refused(admin_client.post(_change_url(renbang), data))
    assert str(ACTIVE_NEEDS_ALTERNATIVE) in html
    assert scheme_export(scheme=renbang) == before


def test_publishing_a_draft_without_units_is_refused(admin_client, renbang):
    Scheme.objects.filter(pk=renbang.pk).update(status=Scheme.Status.DRAFT)
    renbang.units.all().delete()
    before = row_counts()
    data = _change_form(admin_client, renbang)
    data["status"] = "active"
    html = _refused(admin_client.post(_change_url(renbang), data))
    assert str(ACTIVE_NEEDS_UNIT) in html
    renbang.refresh_from_db()
    assert renbang.status == "draft"
    assert row_counts() == before


def test_alternative_cannot_use_another_schemes_condition(admin_client, tmi, renbang):
    before = scheme_export(scheme=tmi)
    data = _change_form(admin_client, tmi)
    foreign = PrerequisiteCondition.objects.get(scheme=renbang, clause="6.4")
    data["prerequisite_alternatives-0-conditions"] = [str(foreign.pk)]
    _refused(admin_client.post(_change_url(tmi), data))
    assert scheme_export(scheme=tmi) == before


def test_status_change_in_the_form_is_audited(admin_client, tmi):
    data = _change_form(admin_client, tmi)
    data["status"] = "retired"
    assert admin_client.post(_change_url(tmi), data).status_code == 302
    event = AuditEvent.objects.get(action="scheme.status_changed")
    assert (event.from_state, event.to_state) == ("active", "retired")


def test_build_a_third_scheme_from_nothing_and_publish_it(admin_client, seed_schemes, client):
    add_url = reverse("admin:schemes_scheme_add")
    data = form_data(admin_client.get(add_url).content.decode(), "scheme_form")
    data.update(
        {
            "document_number": "SKM/03/OKP/2025",
            "slug": "operator-gudang",
            "name": "Operator Gudang",
            "name_en": "Warehouse Operator",
            "scheme_type": "okupasi",
            "lsp_name": "LSP Contoh",
            "fee": "1500000",
            "status": "draft",
            "units-0-order": "1",
            "units-0-code": "H.521000.001.01",
            "units-0-title": "Menerima barang",
            "units-0-standard_type": "skkni",
            "prerequisite_conditions-0-order": "1",
            "prerequisite_conditions-0-clause": "6.1",
            "prerequisite_conditions-0-text": "Pendidikan minimal SMA/SMK",
        }
    )
    response = admin_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme = Scheme.objects.get(document_number="SKM/03/OKP/2025")
    assert AuditEvent.objects.filter(action="scheme.created", object_id=str(scheme.pk)).exists()
    # Not public while a draft.
    assert client.get(reverse("schemes:detail", args=["operator-gudang"])).status_code == 404

    # Second visit: the saved condition can be chosen; publish.
    data = _change_form(admin_client, scheme)
    condition = scheme.prerequisite_conditions.get()
    data.update(
        {
            "prerequisite_alternatives-0-order": "1",
            "prerequisite_alternatives-0-code": "A",
            "prerequisite_alternatives-0-label": "Lulusan SMA/SMK (6.1)",
            "prerequisite_alternatives-0-conditions": [str(condition.pk)],
            "status": "active",
        }
    )
    response = admin_client.post(_change_url(scheme), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    html = client.get(reverse("schemes:list")).content.decode()
    assert "Operator Gudang" in html and "Rp 1.500.000" in html
    detail = client.get(reverse("schemes:detail", args=["operator-gudang"])).content.decode()
    assert "H.521000.001.01" in detail and "Pendidikan minimal SMA/SMK" in detail


def test_unit_page_edits_elements_and_criteria(admin_client, tmi):
    unit = tmi.units.first()
    url = reverse("admin:schemes_unit_change", args=[unit.pk])
    data = form_data(admin_client.get(url).content.decode(), "unit_form")
    data.update({"elements-0-order": "1", "elements-0-title": "Menyusun rencana produksi"})
    assert admin_client.post(url, data).status_code == 302
    element = unit.elements.get()

    url = reverse("admin:schemes_element_change", args=[element.pk])
    data = form_data(admin_client.get(url).content.decode(), "element_form")
    data.update({"criteria-0-order": "1", "criteria-0-text": "Rencana produksi disusun sesuai permintaan."})
    assert admin_client.post(url, data).status_code == 302
    assert element.criteria.get().text == "Rencana produksi disusun sesuai permintaan."


def test_unit_page_refuses_a_code_the_scheme_already_has(admin_client, tmi):
    unit = tmi.units.first()
    url = reverse("admin:schemes_unit_change", args=[unit.pk])
    data = form_data(admin_client.get(url).content.decode(), "unit_form")
    data["code"] = "M.702092.009.01"
    html = _refused(admin_client.post(url, data))
    assert "This scheme already has a unit with this code." in html
    unit.refresh_from_db()
    assert unit.code == "C.281930.002.01"


def test_last_unit_of_an_active_scheme_cannot_be_deleted_on_its_page(admin_client, renbang):
    first, last = renbang.units.all()
    assert admin_client.post(reverse("admin:schemes_unit_delete", args=[first.pk]), {"post": "yes"}).status_code == 302
    assert admin_client.post(reverse("admin:schemes_unit_delete", args=[last.pk]), {"post": "yes"}).status_code == 403
    assert renbang.units.count() == 1


def test_scheme_page_links_to_its_clauses(admin_client, tmi):
    html = admin_client.get(_change_url(tmi)).content.decode()
    assert f"{reverse('admin:schemes_schemeclause_changelist')}?scheme__id__exact={tmi.pk}" in html
    changelist = admin_client.get(reverse("admin:schemes_schemeclause_changelist"), {"scheme__id__exact": tmi.pk})
    assert changelist.status_code == 200
    assert "Mengutamakan keluhuran budi." in changelist.content.decode()


def test_unit_page_refuses_a_bad_code(admin_client, tmi):
    unit = tmi.units.first()
    url = reverse("admin:schemes_unit_change", args=[unit.pk])
    data = form_data(admin_client.get(url).content.decode(), "unit_form")
    data["code"] = "bad"
    _refused(admin_client.post(url, data))
    unit.refresh_from_db()
    assert unit.code == "C.281930.002.01"


# --- delete: only schemes nobody uses ------------------------------------------------------


def test_scheme_in_use_cannot_be_deleted(admin_client, tmi, monkeypatch):
    monkeypatch.setattr(Scheme, "is_in_use", lambda self: True)
    # No delete button, and the delete page itself is refused.
    assert "deletelink" not in admin_client.get(_change_url(tmi)).content.decode()
    delete_url = reverse("admin:schemes_scheme_delete", args=[tmi.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403

    # The bulk action refuses the whole selection, with a message.
    response = admin_client.post(
        reverse("admin:schemes_scheme_changelist"),
        {"action": "delete_selected", "_selected_action": [str(tmi.pk)], "post": "yes"},
        follow=True,
    )
    assert "in use by applications or certificates" in response.content.decode()
    assert Scheme.objects.filter(pk=tmi.pk).exists()


def test_scheme_nobody_uses_can_be_deleted(admin_client, renbang, monkeypatch):
    monkeypatch.setattr(Scheme, "is_in_use", lambda self: False)
    response = admin_client.post(
        reverse("admin:schemes_scheme_changelist"),
        {"action": "delete_selected", "_selected_action": [str(renbang.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Scheme.objects.filter(pk=renbang.pk).exists()


def test_has_delete_permission_asks_is_in_use(rf, admin_user, tmi, monkeypatch):
    from django.contrib.admin.sites import site

    request = rf.get("/")
    request.user = admin_user
    model_admin = site._registry[Scheme]
    monkeypatch.setattr(Scheme, "is_in_use", lambda self: True)
    assert model_admin.has_delete_permission(request, tmi) is False
    monkeypatch.setattr(Scheme, "is_in_use", lambda self: False)
    assert model_admin.has_delete_permission(request, tmi) is True


# --- actions: export, publish, retire ------------------------------------------------------


def test_export_action_one_scheme_gives_its_json(admin_client, tmi):
    response = admin_client.post(
        reverse("admin:schemes_scheme_changelist"), {"action": "export_json", "_selected_action": [str(tmi.pk)]}
    )
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="scheme-pengelolaan-produksi.json"'
    assert json.loads(response.content) == scheme_export(scheme=tmi)


def test_export_action_several_schemes_gives_a_zip(admin_client, tmi, renbang):
    response = admin_client.post(
        reverse("admin:schemes_scheme_changelist"),
        {"action": "export_json", "_selected_action": [str(tmi.pk), str(renbang.pk)]},
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == [
            "scheme-mengelola-pelaksanaan-rencana-pembangunan.json",
            "scheme-pengelolaan-produksi.json",
        ]


def test_retire_action_uses_the_service_and_audits(admin_client, tmi):
    admin_client.post(
        reverse("admin:schemes_scheme_changelist"), {"action": "make_retired", "_selected_action": [str(tmi.pk)]}
    )
    tmi.refresh_from_db()
    assert tmi.status == "retired"
    assert AuditEvent.objects.filter(action="scheme.status_changed", to_state="retired").count() == 1


def test_publish_action_refuses_an_empty_scheme_with_a_message(admin_client, tmi):
    Scheme.objects.filter(pk=tmi.pk).update(status=Scheme.Status.DRAFT)
    tmi.units.all().delete()
    response = admin_client.post(
        reverse("admin:schemes_scheme_changelist"),
        {"action": "make_active", "_selected_action": [str(tmi.pk)]},
        follow=True,
    )
    assert str(ACTIVE_NEEDS_UNIT) in response.content.decode()
    tmi.refresh_from_db()
    assert tmi.status == "draft"


# --- import page ---------------------------------------------------------------------------


def test_changelist_links_to_the_import_page(admin_client, tmi):
    html = admin_client.get(reverse("admin:schemes_scheme_changelist")).content.decode()
    assert reverse("admin:schemes_scheme_import") in html


def _upload(content, name="scheme.json"):
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_import_page_creates_the_scheme(admin_client, admin_user, tmi):
    data = scheme_export(scheme=tmi)
    data["scheme"]["document_number"] = "SCM.IMPORT/LSP.TMI"
    response = admin_client.post(reverse("admin:schemes_scheme_import"), {"file": _upload(json.dumps(data).encode())})
    scheme = Scheme.objects.get(document_number="SCM.IMPORT/LSP.TMI")
    assert response.status_code == 302 and response["Location"] == _change_url(scheme)
    assert AuditEvent.objects.get(action="scheme.imported", object_id=str(scheme.pk)).actor == admin_user


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{broken", "not valid UTF-8 JSON"),
        (b'{"format": "lsp-portal.scheme", "version": 1}', "no \u201cscheme\u201d object"),
    ],
)
def test_import_page_refuses_a_malformed_file(admin_client, tmi, content, reason):
    before = row_counts()
    html = _refused(admin_client.post(reverse("admin:schemes_scheme_import"), {"file": _upload(content)}))
    assert reason in html
    assert row_counts() == before


def test_import_page_refuses_a_duplicate(admin_client, tmi):
    before = row_counts()
    content = json.dumps(scheme_export(scheme=tmi)).encode()
    html = _refused(admin_client.post(reverse("admin:schemes_scheme_import"), {"file": _upload(content)}))
    assert "SCM.009A/LSP.TMI already exists" in html
    assert row_counts() == before


def test_import_page_needs_admin_rights(client, make_user, tmi):
    client.force_login(make_user("staff"))
    response = client.get(reverse("admin:schemes_scheme_import"))
    assert response.status_code == 302  # to the admin login: not an admin-site user
