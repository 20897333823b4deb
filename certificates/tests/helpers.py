"""Building blocks of the certificates tests: a submitted recommendation made through the real services of
the applicants and assessments apps (as their own tests do), then each step of the decision stage."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import EvidenceReview, Tuk
from assessments.tests.conftest import (
    evidence,
    make_assessor,
    plan_units,
    ready_application,
    record_all_units,
    review_units,
)
from certificates import services
from certificates.models import CertificateSeries, Decision, Signatory
from lsp.models import Organisation, Role
from schemes.models import Scheme

TMI = "SCM.009A/LSP.TMI"

# Personal data that must never appear on the public verification page (7.1.3).
CANARY = {
    "nik": "3273015508020001",
    "birth_place": "Bandung",
    "address": "Jl. Merdeka No. 1",
    "phone_mobile": "081234567890",
}


def load_tmi():
    call_command("load_seed_schemes", verbosity=0)
    return Scheme.objects.get(document_number=TMI)


def organisation_setup():
    organisation = Organisation.current()
    organisation.name = "LSP Teknik dan Manajemen Industri"
    organisation.address = "Jl. Industri No. 5, Bandung"
    organisation.bank_name, organisation.bank_account_number, organisation.bank_account_name = "Bank", "1", "LSP"
    organisation.save()
    return organisation


def numbering_setup():
    """What the admin sets before the first certificate: who signs, and the number format (BNSP-like)."""
    Signatory.objects.create(name="Ir. Catur Hernanto, MM", position="Ketua LSP TMI", position_en="Chair", signs_certificates=True)
    return CertificateSeries.objects.create(kbli="70209", kbji="2141", level="6")


def make_tuk(staff):
    today = timezone.localdate()
    tuk = assessment_services.tuk_create(
        actor=staff, name="TUK Politeknik", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Mawar 1", contact_person="Pak Joko"
    )
    assessment_services.tuk_verify(
        actor=staff, tuk_id=tuk.pk, verified_on=today, valid_until=today + datetime.timedelta(days=365),
        checklist_notes="Ruang, peralatan, APD lengkap",
    )
    return tuk


def make_schedule(staff, scheme, tuk, assessors):
    return assessment_services.schedule_create(
        actor=staff, scheme=scheme, tuk=tuk, date=timezone.localdate(), start_time=datetime.time(8, 0), capacity=10,
        assessors=assessors,
    )


def submitted_record(*, candidate, staff, scheme, assessor, schedule, tuk, verdict="K"):
    """Application accepted and paid, assessed on ``schedule`` by ``assessor``, record submitted (9.3.5)."""
    application = ready_application(candidate, staff, scheme)
    assignment = assessment_services.schedule_add_candidate(actor=staff, schedule=schedule, application=application)
    assessment_services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    assessment_services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)
    assessment_services.evidence_review_record(
        actor=assessor.user, assignment=assignment, units=review_units(application),
        outcome=EvidenceReview.Outcome.PROCEED, reason="Bukti APL-02 memadai",
    )
    assessment_services.plan_save(
        actor=assessor.user, assignment=assignment, date=timezone.localdate(), start_time=datetime.time(9, 0), tuk=tuk,
        units=plan_units(application),
    )
    assessment_services.plan_agree(actor=candidate, assignment=assignment, version=1, confidentiality=True)
    if verdict == "K":
        record_all_units(assignment, assessor.user)
        return assessment_services.record_submit(actor=assessor.user, assignment=assignment)
    record_all_units(assignment, assessor.user, items=[evidence(current=False)])
    return assessment_services.record_submit(actor=assessor.user, assignment=assignment, follow_up="Ulangi unit 1")


def convene(staff, chair, records, members=()):
    return services.meeting_convene(
        actor=staff, date=timezone.localdate(), place="Ruang Rapat LSP", chair=chair, members=list(members),
        records=list(records),
    )


def decide(member, meeting, record, outcome=Decision.Outcome.GRANTED, notes=""):
    return services.decision_record(
        actor=member, meeting=meeting, record=record, outcome=outcome, recommendation_verified=True,
        evidence_verified=True, notes=notes,
    )


def close_and_letter(staff, meeting):
    meeting = services.meeting_close(actor=staff, meeting=meeting)
    return services.decision_letter_issue(actor=staff, meeting=meeting, signatory=Signatory.objects.first())


def file_appeal(appellant, decision, **overrides):
    """The candidate's FR.AK.04: the three questions answered, the reasons given."""
    fields = {
        "reasons": "Asesor tidak memberi kesempatan menjelaskan bukti unit 1.",
        "process_explained": True,
        "discussed_with_assessor": True,
        "involves_other_person": False,
        **overrides,
    }
    return services.appeal_file(actor=appellant, decision=decision, **fields)


__all__ = [
    "file_appeal",
    "CANARY",
    "Role",
    "close_and_letter",
    "convene",
    "decide",
    "load_tmi",
    "make_assessor",
    "make_schedule",
    "make_tuk",
    "numbering_setup",
    "organisation_setup",
    "submitted_record",
]
