"""Moving a scheme between installations: export to JSON, import from JSON, all or nothing."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from lsp.errors import DomainError
from lsp.models import AuditEvent
from schemes.models import Scheme
from schemes.services import (
    DuplicateScheme,
    SchemeImportError,
    scheme_export,
    scheme_file_parse,
    scheme_import,
)

from .snapshots import row_counts

pytestmark = pytest.mark.usefixtures("english_messages")


def _without_identity(exported):
    data = copy.deepcopy(exported)
    for key in ("document_number", "slug"):
        data["scheme"].pop(key)
    return data


def test_round_trip_tmi_export_change_number_import_compare(tmi, make_user):
    actor = make_user("admin")
    exported = scheme_export(scheme=tmi)
    # Through real JSON text, as a file would carry it.
    data = json.loads(json.dumps(exported))
    data["scheme"]["document_number"] = "SCM.009B/LSP.TMI"

    copy_ = scheme_import(data=data, actor=actor)

    assert copy_.pk != tmi.pk
    assert copy_.document_number == "SCM.009B/LSP.TMI"
    assert copy_.slug == "pengelolaan-produksi-2"  # the original keeps its web address
    assert _without_identity(scheme_export(scheme=copy_)) == _without_identity(exported)
    event = AuditEvent.objects.get(action="scheme.imported", object_id=str(copy_.pk))
    assert event.actor == actor
    assert event.to_state == "active"


def test_fixture_files_are_exactly_the_export_format(seed_schemes, settings):
    # The seed files are what export produces: the same importer reads both.
    for scheme, name in zip(seed_schemes, ("tmi", "renbang"), strict=True):
        path = settings.BASE_DIR / "fixtures" / "schemes" / f"{name}.json"
        assert json.loads(path.read_text(encoding="utf-8")) == scheme_export(scheme=scheme)


def test_export_keeps_elements_and_criteria(tmi):
    unit = tmi.units.first()
    element = unit.elements.create(order=1, title="Menyusun jadwal", title_en="Drawing up the schedule")
    element.criteria.create(order=1, text="Jadwal disusun sesuai kapasitas.")
    data = scheme_export(scheme=tmi)
    data["scheme"]["document_number"] = "X/1"
    imported = scheme_import(data=data)
    unit_copy = imported.units.get(code=unit.code)
    assert [e.title for e in unit_copy.elements.all()] == ["Menyusun jadwal"]
    assert [c.text for c in unit_copy.elements.get().criteria.all()] == ["Jadwal disusun sesuai kapasitas."]


def _tmi_file(tmi, **changes):
    data = json.loads(json.dumps(scheme_export(scheme=tmi)))
    data["scheme"]["document_number"] = "SCM.NEW/LSP.TMI"
    data["scheme"].update(changes)
    return data


BAD_FILES = {
    "not a scheme file": lambda d: {"format": "something-else", "version": 1, "scheme": d["scheme"]},
    "wrong version": lambda d: {**d, "version": 99},
    "no scheme object": lambda d: {"format": d["format"], "version": 1},
    "missing name and fee": lambda d: {
        **d,
        "scheme": {k: v for k, v in d["scheme"].items() if k not in ("name", "fee")},
    },
    "negative fee (8)": lambda d: {**d, "scheme": {**d["scheme"], "fee": "-1"}},
    "zero appeal window (9.9.2)": lambda d: {**d, "scheme": {**d["scheme"], "appeal_window_days": 0}},
    "text where a number belongs": lambda d: {**d, "scheme": {**d["scheme"], "appeal_window_days": "one"}},
    "unknown status": lambda d: {**d, "scheme": {**d["scheme"], "status": "published"}},
    "unknown field": lambda d: {**d, "scheme": {**d["scheme"], "colour": "red"}},
}


@pytest.mark.parametrize("breakage", list(BAD_FILES))
def test_bad_file_is_refused_and_changes_nothing(tmi, breakage):
    data = BAD_FILES[breakage](_tmi_file(tmi))
    before = row_counts()
    with pytest.raises(SchemeImportError) as refused:
        scheme_import(data=data)
    assert str(refused.value).startswith("The scheme file was not imported")
    assert row_counts() == before


def test_bad_unit_code_is_refused_with_the_reason_and_changes_nothing(tmi):
    data = _tmi_file(tmi)
    data["scheme"]["units"][9]["code"] = "C-281930-049-01"
    before = row_counts()
    with pytest.raises(SchemeImportError) as refused:
        scheme_import(data=data)
    assert any(reason.startswith("unit 10 (code): Enter a unit code") for reason in refused.value.reasons)
    assert row_counts() == before


def test_duplicate_unit_code_in_file_is_refused(tmi):
    data = _tmi_file(tmi)
    data["scheme"]["units"][1]["code"] = data["scheme"]["units"][0]["code"]
    before = row_counts()
    with pytest.raises(SchemeImportError, match="C.281930.002.01 appears twice"):
        scheme_import(data=data)
    assert row_counts() == before


def test_alternative_naming_an_unknown_condition_is_refused(tmi):
    data = _tmi_file(tmi)
    data["scheme"]["prerequisite_alternatives"][1]["conditions"] = ["6.1", "6.9"]
    with pytest.raises(SchemeImportError, match="6.9"):
        scheme_import(data=data)
    assert not Scheme.objects.filter(document_number="SCM.NEW/LSP.TMI").exists()


def test_active_scheme_without_units_is_refused(tmi):
    data = _tmi_file(tmi, units=[])
    before = row_counts()
    with pytest.raises(SchemeImportError, match="at least one unit of competency"):
        scheme_import(data=data)
    assert row_counts() == before


def test_draft_scheme_without_units_may_be_imported(tmi):
    scheme = scheme_import(data=_tmi_file(tmi, units=[], status="draft"))
    assert scheme.status == "draft" and scheme.units.count() == 0


def test_duplicate_document_number_is_refused_and_changes_nothing(tmi):
    data = scheme_export(scheme=tmi)
    before = row_counts()
    with pytest.raises(DuplicateScheme, match="SCM.009A/LSP.TMI already exists"):
        scheme_import(data=data)
    assert row_counts() == before


def test_malformed_json_is_refused(db):
    with pytest.raises(SchemeImportError, match="not valid UTF-8 JSON"):
        scheme_file_parse(b'{"format": "lsp-portal.scheme", ')
    with pytest.raises(SchemeImportError):
        scheme_file_parse(b"\xff\xfe not utf-8")


def test_import_errors_are_domain_errors(tmi):
    # Views and commands catch DomainError and show its (translated) message.
    with pytest.raises(DomainError):
        scheme_import(data=[])


def test_export_and_import_commands(tmi, tmp_path):
    path = tmp_path / "tmi.json"
    call_command("export_scheme", "SCM.009A/LSP.TMI", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["scheme"]["units"][2]["code"] == "C.290MM01.014.1"

    # The same file again: refused, nothing written.
    before = row_counts()
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_scheme", str(path))
    assert row_counts() == before

    data["scheme"]["document_number"] = "SCM.009C/LSP.TMI"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_scheme", str(path))
    assert Scheme.objects.get(document_number="SCM.009C/LSP.TMI").units.count() == 10


def test_export_command_by_slug_to_stdout(tmi, capsys):
    call_command("export_scheme", "pengelolaan-produksi")
    assert json.loads(capsys.readouterr().out)["scheme"]["document_number"] == "SCM.009A/LSP.TMI"


def test_export_command_unknown_scheme(db):
    with pytest.raises(CommandError, match="No scheme"):
        call_command("export_scheme", "nope")


def test_import_command_malformed_file(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid UTF-8 JSON"):
        call_command("import_scheme", str(path))
    assert Scheme.objects.count() == 0
