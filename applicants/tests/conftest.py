"""Fixtures of the applicants tests: the seed schemes, people, and applications made through the services."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from applicants import services
from applicants.models import Application, Document
from applicants.snapshot import application_scheme, assessment_items
from lsp.models import Organisation, Role
from schemes.models import Scheme

from .files import good_jpeg, good_pdf

PERSONAL = {
    "full_name": "Ani Wijaya",
    # Region 32.73.xx, born 15-08-2002 (woman: 15 + 40 = 55), serial 0001.
    "nik": "3273015508020001",
    "birth_place": "Bandung",
    "birth_date": datetime.date(2002, 8, 15),
    "sex": "female",
    "nationality": "Indonesia",
    "address": "Jl. Merdeka No. 1",
    "postcode": "40111",
    "phone_home": "",
    "phone_office": "",
    "phone_mobile": "081234567890",
    "email": "ani@example.test",
    "education": "sma",
}
PURPOSE = {"purpose": "sertifikasi", "purpose_other": "", "funding": "self", "funding_detail": ""}


@pytest.fixture(autouse=True)
def _english(settings, client):
    """Messages are checked in English (the msgids); the Indonesian catalogue is filled in separately."""
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        yield


@pytest.fixture
def tmi(db):
    call_command("load_seed_schemes", verbosity=0)
    return Scheme.objects.get(document_number="SCM.009A/LSP.TMI")


@pytest.fixture
def student_path(tmi):
    """TMI alternative B: 6.1 and 6.3, the student path."""
    return tmi.prerequisite_alternatives.get(code="B")


@pytest.fixture
def applicant(make_user):
    return make_user(Role.APPLICANT, full_name="Ani Wijaya", email="ani@example.test")


@pytest.fixture
def other_applicant(make_user):
    return make_user(Role.APPLICANT, full_name="Budi Lain", email="budi@example.test")


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF, full_name="Rina Staf")


@pytest.fixture
def organisation(db):
    organisation = Organisation.current()
    organisation.name = "LSP TMI"
    organisation.bank_name = "Bank Mandiri"
    organisation.bank_account_number = "1234567890"
    organisation.bank_account_name = "LSP Teknik dan Manajemen Industri"
    organisation.save()
    return organisation


def storage_files():
    """Every file in the test's private storage."""
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def fill_draft(application, actor, alternative):
    """Everything an applicant fills in, through the services (no submission)."""
    services.application_update_section(actor=actor, application=application, section="personal", data=PERSONAL)
    services.application_update_section(actor=actor, application=application, section="purpose", data=PURPOSE)
    services.application_choose_alternative(actor=actor, application=application, alternative=alternative)
    application.refresh_from_db()
    for requirement in application_scheme(application)["required_documents"]:
        upload = good_jpeg("foto.jpg") if requirement["photo_size"] else good_pdf(f"{requirement['clause']}.pdf")
        services.document_upload(
            actor=actor,
            application=application,
            kind=Document.Kind.REQUIREMENT,
            uploaded_file=upload,
            requirement_id=requirement["id"],
        )
    answers = {item["key"]: ("K", []) for item in assessment_items(application_scheme(application))}
    services.application_answer_save(actor=actor, application=application, answers=answers)
    application.refresh_from_db()
    return application


@pytest.fixture
def draft(applicant, tmi, student_path):
    application = services.application_start(actor=applicant, scheme=tmi)
    return fill_draft(application, applicant, student_path)


@pytest.fixture
def submitted(draft, applicant):
    return services.application_submit(actor=applicant, application=draft, declaration=True, consent=True)


def review_all(application, staff, verdict="meets", note=""):
    for document in application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True):
        services.document_review(actor=staff, document=document, verdict=verdict, note=note or "ok")


@pytest.fixture
def accepted(submitted, staff, organisation):
    review_all(submitted, staff)
    return services.application_accept(actor=staff, application=submitted)


def reload(application):
    return Application.objects.get(pk=application.pk)
