"""Fixtures of the assessments tests: accepted, paid candidates and each step of their assessment,
all made through the real services (the applicants' ones for the application)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from applicants import services as applicant_services
from applicants.models import Document, Invoice
from applicants.snapshot import application_scheme, assessment_items
from applicants.tests.files import good_jpeg, good_pdf
from assessments import services
from assessments.models import Assessor, EvidenceReview, Method, Tuk
from assessments.services._common import candidate_units
from lsp.models import Organisation, Role
from schemes.models import Scheme

TODAY = timezone.localdate
TMI = "SCM.009A/LSP.TMI"
RENBANG = "SKM/02/KLS/VIII/2020"


def personal(name, email):
    return {
        "full_name": name,
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
        "email": email,
        "education": "sma",
    }


def ready_application(applicant, staff, scheme, *, pay="sponsor", accept=True):
    """An application of ``applicant`` for ``scheme``: submitted, accepted (9.1.6) and paid or sponsored."""
    application = applicant_services.application_start(actor=applicant, scheme=scheme)
    applicant_services.application_update_section(
        actor=applicant, application=application, section="personal", data=personal(applicant.full_name, applicant.email)
    )
    applicant_services.application_update_section(
        actor=applicant,
        application=application,
        section="purpose",
        data={"purpose": "sertifikasi", "purpose_other": "", "funding": "self", "funding_detail": ""},
    )
    applicant_services.application_update_section(
        actor=applicant,
        application=application,
        section="work",
        data={"work_institution": "PT Maju Jaya", "work_position": "Supervisor Produksi", "work_address": "",
              "work_postcode": "", "work_phone": "", "work_fax": "", "work_email": ""},
    )
    alternative = scheme.prerequisite_alternatives.order_by("order", "id").first()
    applicant_services.application_choose_alternative(actor=applicant, application=application, alternative=alternative)
    application.refresh_from_db()
    for requirement in application_scheme(application)["required_documents"]:
        upload = good_jpeg("foto.jpg") if requirement["photo_size"] else good_pdf(f"{requirement['clause']}.pdf")
        applicant_services.document_upload(
            actor=applicant, application=application, kind=Document.Kind.REQUIREMENT, uploaded_file=upload,
            requirement_id=requirement["id"],
        )
    answers = {item["key"]: ("K", []) for item in assessment_items(application_scheme(application))}
    applicant_services.application_answer_save(actor=applicant, application=application, answers=answers)
    application = applicant_services.application_submit(
        actor=applicant, application=application, declaration=True, consent=True
    )
    if not accept:
        return application
    for document in application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True):
        applicant_services.document_review(actor=staff, document=document, verdict="meets", note="ok")
    application = applicant_services.application_accept(actor=staff, application=application)
    if pay == "sponsor":
        applicant_services.payment_mark_sponsored(
            actor=staff, application=application, sponsor_type=Invoice.SponsorType.EMPLOYER,
            sponsor_name="PT Maju Jaya", reference="SPK-001",
        )
    elif pay == "transfer":
        applicant_services.payment_proof_upload(actor=applicant, application=application, uploaded_file=good_pdf("bukti.pdf"))
        applicant_services.payment_verify(actor=staff, application=application)
    application.refresh_from_db()
    return application


def make_assessor(make_user, schemes, *, valid_until=None, active=True, user=None, **fields):
    user = user or make_user(Role.ASSESSOR, **fields)
    assessor = Assessor.objects.create(
        user=user,
        met_number=f"MET.000.{user.pk:06d}",
        registration_valid_until=valid_until or TODAY() + datetime.timedelta(days=365),
        is_active=active,
    )
    assessor.schemes.set(schemes)
    return assessor


def plan_units(application, methods=(Method.OBSERVATION, Method.ORAL)):
    return {unit["code"]: (list(methods), "Hasil praktik, jawaban lisan") for unit in candidate_units(application)}


def review_units(application, adequate=True):
    return {unit["code"]: (adequate, "") for unit in candidate_units(application)}


def evidence(**overrides):
    item = {"description": "Jadwal produksi yang dibuat", "valid": True, "authentic": True, "current": True,
            "sufficient": True, "note": ""}
    item.update(overrides)
    return item


def record_all_units(assignment, user, *, verdict="K", items=None):
    for unit in candidate_units(assignment.application):
        services.unit_result_save(
            actor=user, assignment=assignment, unit_code=unit["code"], methods=[Method.OBSERVATION],
            verdict=verdict, evidence=items if items is not None else [evidence()],
            elements={e["index"]: verdict for e in unit["elements"]},
        )


@pytest.fixture(autouse=True)
def _english_messages():
    """Service tests match the English messages; the Indonesian catalogue is filled separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def schemes(db):
    call_command("load_seed_schemes", verbosity=0)
    return Scheme.objects.get(document_number=TMI), Scheme.objects.get(document_number=RENBANG)


@pytest.fixture
def tmi(schemes):
    return schemes[0]


@pytest.fixture
def renbang(schemes):
    return schemes[1]


@pytest.fixture
def organisation(db):
    organisation = Organisation.current()
    organisation.name = "LSP TMI"
    organisation.bank_name, organisation.bank_account_number = "Bank Mandiri", "1234567890"
    organisation.bank_account_name = "LSP TMI"
    organisation.save()
    return organisation


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF, full_name="Rina Staf")


@pytest.fixture
def candidate(make_user):
    return make_user(Role.APPLICANT, full_name="Ani Wijaya", email="ani@example.test")


@pytest.fixture
def application(candidate, staff, tmi, organisation):
    return ready_application(candidate, staff, tmi)


@pytest.fixture
def assessor(make_user, tmi):
    return make_assessor(make_user, [tmi], full_name="Budi Asesor")


@pytest.fixture
def other_assessor(make_user, tmi):
    return make_assessor(make_user, [tmi], full_name="Citra Asesor")


@pytest.fixture
def tuk(staff):
    tuk = services.tuk_create(
        actor=staff, name="TUK Politeknik", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Mawar 1", contact_person="Pak Joko"
    )
    services.tuk_verify(
        actor=staff, tuk_id=tuk.pk, verified_on=TODAY(), valid_until=TODAY() + datetime.timedelta(days=365),
        checklist_notes="Ruang, peralatan, APD lengkap",
    )
    return tuk


@pytest.fixture
def schedule(staff, tmi, tuk, assessor):
    return services.schedule_create(
        actor=staff, scheme=tmi, tuk=tuk, date=TODAY(), start_time=datetime.time(8, 0), capacity=5, assessors=[assessor]
    )


@pytest.fixture
def assignment(staff, schedule, application):
    return services.schedule_add_candidate(actor=staff, schedule=schedule, application=application)


@pytest.fixture
def assigned(staff, assignment, assessor):
    return services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)


@pytest.fixture
def active(assigned, assessor):
    return services.assignment_declare(actor=assessor.user, assignment=assigned, has_conflict=False)


@pytest.fixture
def reviewed(active, assessor):
    services.evidence_review_record(
        actor=assessor.user, assignment=active, units=review_units(active.application),
        outcome=EvidenceReview.Outcome.PROCEED, reason="Bukti APL-02 memadai",
    )
    return active


@pytest.fixture
def planned(reviewed, assessor, tuk):
    services.plan_save(
        actor=assessor.user, assignment=reviewed, date=TODAY(), start_time=datetime.time(9, 0), tuk=tuk,
        units=plan_units(reviewed.application),
    )
    return reviewed


@pytest.fixture
def agreed(planned, candidate):
    services.plan_agree(actor=candidate, assignment=planned, version=1, confidentiality=True)
    return planned
