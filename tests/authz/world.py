"""One world in which every URL of the portal with an object argument has a real object.

The owning applicant (the owner) holds: a TMI application taken through review, payment, assessment by the
assigned assessor, a "Kompeten" decision, an SK, a certificate with a signed use agreement, a surveillance with
evidence, a sanction case with a warning and a re-certification draft; a Renbang application assessed "Belum
Kompeten", whose decision they appeal (received, with an appeal team); and a question to the LSP.

Everything is made through the real services, as the apps' own tests do. The owner's data carries canary
strings (``CANARIES``) that must never reach anyone who may not see them.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from applicants import services as applicant_services
from applicants.models import Application, Document, Invoice
from applicants.snapshot import application_scheme, assessment_items
from applicants.tests.files import jpeg_bytes
from assessments import services as assessment_services
from assessments.models import FEEDBACK_QUESTIONS, EvidenceReview, Tuk
from assessments.tests.conftest import evidence, make_assessor, plan_units, record_all_units, review_units
from certificates import services as certificate_services
from certificates.models import Decision, Handover, Signatory
from certificates.tests.helpers import numbering_setup, organisation_setup
from lsp.models import DayOff, Role
from lsp.tests.factories import UserFactory
from schemes.models import Scheme
from schemes.selectors import scheme_suspension_grounds

TMI = "SCM.009A/LSP.TMI"
FEEDBACK_CODES = [code for code, _text in FEEDBACK_QUESTIONS]
RENBANG = "SKM/02/KLS/VIII/2020"


@dataclass(frozen=True)
class Canary:
    """A unique string planted in the owner's data, and who may ever read it."""

    key: str
    text: str
    seen_by: frozenset


# Who may read what (7.1.3): applicants only their own files, assessors only their assigned candidates. Staff
# and admin see everything. The technical team member who decided on the owner reads the candidate's record; the
# team of the owner's appeal reads the appealed application's file (certificates.apps, 9.4.1 b) and the appeal.
# Nobody else, and no one at all sees the questions and the surveillance evidence but the owner and the LSP.
INSIDERS = frozenset({"owner", "staff", "admin"})
DECIDERS = frozenset({"assessor", "technical", "appeal"})
CANARIES = (
    Canary("name", "Zorkanari", INSIDERS | DECIDERS),
    Canary("nik", "3273015508027391", INSIDERS | DECIDERS),
    Canary("address", "Kanaripos", INSIDERS | DECIDERS),
    # The title of an evidence file of both applications (the appealed one's APL-02 lists it).
    Canary("evidence_title", "Kanarilogbuk", INSIDERS | DECIDERS),
    # The bytes of the certified application's uploaded PDFs: a file only whoever may see that application opens.
    Canary("document_bytes", "KANARIDOKUMEN", INSIDERS | {"assessor"}),
    Canary("question", "Kanaritanya", INSIDERS),
    Canary("appeal", "Kanaribanding", INSIDERS | {"appeal"}),
    Canary("surveillance", "Kanarisurvei", INSIDERS),
)
CANARY = {canary.key: canary.text for canary in CANARIES}
# The public verification page shows the holder's name by design (7.1.3: what a verifier needs).
PUBLIC_CANARIES = {"verify:code": {"name"}}

OWNER_PERSONAL = {
    "full_name": f"Ani {CANARY['name']} Wijaya",
    # Region 32.73.01, born 15-08-2002 (a woman: 15 + 40 = 55), serial 7391.
    "nik": CANARY["nik"],
    "birth_place": "Bandung",
    "birth_date": datetime.date(2002, 8, 15),
    "sex": "female",
    "nationality": "Indonesia",
    "address": f"Jl. {CANARY['address']} No. 7",
    "postcode": "40111",
    "phone_home": "",
    "phone_office": "",
    "phone_mobile": "081234567890",
    "email": "owner@example.test",
    "education": "sma",
}
WORK = {"work_institution": "PT Maju Jaya", "work_position": "Supervisor Produksi", "work_address": "",
        "work_postcode": "", "work_phone": "", "work_fax": "", "work_email": ""}
PURPOSE = {"purpose": "sertifikasi", "purpose_other": "", "funding": "self", "funding_detail": ""}


def text_pdf(text):
    """A small valid PDF whose page shows ``text`` (so pdftotext finds it) and whose bytes hold it plainly."""
    content = b"BT /F1 18 Tf 20 100 Td (" + text.encode() + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_upload(name, text="Dokumen"):
    return SimpleUploadedFile(name, text_pdf(text), content_type="application/pdf")


def jpeg_upload(name="foto.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def _user(role, name, email, **fields):
    return UserFactory(roles=[role], full_name=name, email=email, preferred_language="en", **fields)


def _application(owner, staff, scheme, personal, *, document_text, pay):
    """An application filled in by ``owner`` (the requirement PDFs show ``document_text``), submitted, reviewed,
    accepted, and sponsored or paid by a verified transfer (9.1.2–9.1.6, section 8)."""
    application = applicant_services.application_start(actor=owner, scheme=scheme)
    for section, data in (("personal", personal), ("work", WORK), ("purpose", PURPOSE)):
        applicant_services.application_update_section(actor=owner, application=application, section=section, data=data)
    alternative = scheme.prerequisite_alternatives.order_by("order", "id").first()
    applicant_services.application_choose_alternative(actor=owner, application=application, alternative=alternative)
    application.refresh_from_db()
    for requirement in application_scheme(application)["required_documents"]:
        upload = jpeg_upload() if requirement["photo_size"] else pdf_upload(f"{requirement['clause']}.pdf", document_text)
        applicant_services.document_upload(
            actor=owner, application=application, kind=Document.Kind.REQUIREMENT, uploaded_file=upload,
            requirement_id=requirement["id"],
        )
    proof = applicant_services.document_upload(
        actor=owner, application=application, kind=Document.Kind.EVIDENCE,
        uploaded_file=pdf_upload("logbook.pdf", document_text), title=f"Logbook {CANARY['evidence_title']}",
    )
    answers = {item["key"]: ("K", [proof]) for item in assessment_items(application_scheme(application))}
    applicant_services.application_answer_save(actor=owner, application=application, answers=answers)
    application = applicant_services.application_submit(actor=owner, application=application, declaration=True, consent=True)
    for document in application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True):
        applicant_services.document_review(actor=staff, document=document, verdict="meets", note="ok")
    with TestCase.captureOnCommitCallbacks(execute=True):
        application = applicant_services.application_accept(actor=staff, application=application)
    if pay == "sponsor":
        applicant_services.payment_mark_sponsored(
            actor=staff, application=application, sponsor_type=Invoice.SponsorType.EMPLOYER,
            sponsor_name="PT Maju Jaya", reference="SPK-001",
        )
    else:
        applicant_services.payment_proof_upload(
            actor=owner, application=application, uploaded_file=pdf_upload("bukti-transfer.pdf")
        )
        applicant_services.payment_verify(actor=staff, application=application)
    application.refresh_from_db()
    return application


def _assess(application, staff, assessor, scheme, tuk, *, verdict):
    """Scheduled, assigned, declared, reviewed, planned, agreed and recorded; the record submitted (9.2–9.3)."""
    today = timezone.localdate()
    schedule = assessment_services.schedule_create(
        actor=staff, scheme=scheme, tuk=tuk, date=today, start_time=datetime.time(8, 0), capacity=5, assessors=[assessor]
    )
    assignment = assessment_services.schedule_add_candidate(actor=staff, schedule=schedule, application=application)
    assessment_services.assignment_assign_assessor(actor=staff, assignment=assignment, assessor=assessor)
    assessment_services.assignment_declare(actor=assessor.user, assignment=assignment, has_conflict=False)
    assessment_services.evidence_review_record(
        actor=assessor.user, assignment=assignment, units=review_units(application),
        outcome=EvidenceReview.Outcome.PROCEED, reason="Bukti APL-02 memadai",
    )
    assessment_services.plan_save(
        actor=assessor.user, assignment=assignment, date=today, start_time=datetime.time(9, 0), tuk=tuk,
        units=plan_units(application),
    )
    assessment_services.plan_agree(actor=application.applicant, assignment=assignment, version=1, confidentiality=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        if verdict == "K":
            record_all_units(assignment, assessor.user)
            record = assessment_services.record_submit(actor=assessor.user, assignment=assignment)
        else:
            record_all_units(assignment, assessor.user, items=[evidence(current=False)])
            record = assessment_services.record_submit(actor=assessor.user, assignment=assignment, follow_up="Ulangi unit 1")
    assignment.refresh_from_db()
    schedule.refresh_from_db()
    return schedule, assignment, record


def build_world():
    call_command("load_seed_schemes", verbosity=0)
    tmi = Scheme.objects.get(document_number=TMI)
    renbang = Scheme.objects.get(document_number=RENBANG)
    organisation_setup()
    numbering_setup()
    DayOff.objects.create(date=datetime.date(2030, 12, 24), description="Cuti bersama")

    users = {
        "owner": _user(Role.APPLICANT, OWNER_PERSONAL["full_name"], OWNER_PERSONAL["email"]),
        "other_applicant": _user(Role.APPLICANT, "Budi Lain", "other@example.test"),
        "assessor": _user(Role.ASSESSOR, "Citra Asesor", "assessor@example.test"),
        "other_assessor": _user(Role.ASSESSOR, "Dedi Asesor", "other-assessor@example.test"),
        "staff": _user(Role.STAFF, "Rina Staf", "staff@example.test"),
        "technical": _user(Role.TECHNICAL_TEAM, "Dewi Ketua", "technical@example.test"),
        "technical_other": _user(Role.TECHNICAL_TEAM, "Eko Teknis", "technical-other@example.test"),
        "appeal": _user(Role.APPEAL_TEAM, "Sari Banding", "appeal@example.test"),
        "appeal_other": _user(Role.APPEAL_TEAM, "Tono Banding", "appeal-other@example.test"),
        "admin": _user(Role.ADMIN, "Adi Admin", "admin@example.test", is_staff=True, is_superuser=True),
    }
    owner, staff = users["owner"], users["staff"]
    assessor = make_assessor(None, [tmi, renbang], user=users["assessor"])
    make_assessor(None, [tmi, renbang], user=users["other_assessor"])

    today = timezone.localdate()
    tuk = assessment_services.tuk_create(
        actor=staff, name="TUK Politeknik", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Mawar 1", contact_person="Pak Joko"
    )
    assessment_services.tuk_verify(
        actor=staff, tuk_id=tuk.pk, verified_on=today, valid_until=today + datetime.timedelta(days=365),
        checklist_notes="Ruang, peralatan, APD lengkap",
    )

    # The TMI application, certified.
    application = _application(owner, staff, tmi, OWNER_PERSONAL, document_text=CANARY["document_bytes"], pay="sponsor")
    schedule, assignment, record = _assess(application, staff, assessor, tmi, tuk, verdict="K")
    assessment_services.feedback_submit(
        actor=owner, assignment=assignment, answers=dict.fromkeys(FEEDBACK_CODES, True), comment="Asesor ramah"
    )
    # The Renbang application, "Belum Kompeten", appealed.
    appealed_application = _application(owner, staff, renbang, OWNER_PERSONAL, document_text="Dokumen Renbang", pay="transfer")
    _bk_schedule, _bk_assignment, bk_record = _assess(appealed_application, staff, assessor, renbang, tuk, verdict="BK")

    meeting = certificate_services.meeting_convene(
        actor=staff, date=today, place="Ruang Rapat LSP", chair=users["technical"], members=[],
        records=[record, bk_record],
    )
    decision = certificate_services.decision_record(
        actor=users["technical"], meeting=meeting, record=record, outcome=Decision.Outcome.GRANTED,
        recommendation_verified=True, evidence_verified=True,
    )
    bk_decision = certificate_services.decision_record(
        actor=users["technical"], meeting=meeting, record=bk_record, outcome=Decision.Outcome.NOT_GRANTED,
        recommendation_verified=True, evidence_verified=True, notes="Bukti belum memadai",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        meeting = certificate_services.meeting_close(actor=staff, meeting=meeting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        letter = certificate_services.decision_letter_issue(actor=staff, meeting=meeting, signatory=Signatory.objects.first())
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = certificate_services.certificate_issue(actor=staff, decision=decision)
    certificate.refresh_from_db()
    certificate_services.use_agreement_sign(actor=owner, certificate=certificate, agree_use_rules=True, agree_ethics=True)
    # The holder's first download is, by design, the digital hand-over (9.4.7); it is recorded here so that the
    # GETs of the matrix find it done (a later download returns the first record and changes nothing).
    certificate_services.certificate_hand_over(actor=owner, certificate=certificate, method=Handover.Method.DIGITAL)

    surveillance = certificate.surveillances.get(period=1)
    certificate_services.surveillance_evidence_submit(
        actor=owner, surveillance=surveillance, statement=f"Masih berpraktik {CANARY['surveillance']}",
        files=[pdf_upload("logbook-surveilan.pdf", CANARY["surveillance"])],
    )
    case = certificate_services.sanction_case_open(
        actor=staff, certificate=certificate, ground=scheme_suspension_grounds(scheme=tmi).first(),
        description="Sertifikat dipakai di luar ruang lingkupnya",
    )
    step = certificate_services.sanction_warn(actor=staff, case=case, reason="Peringatan pertama")
    recertification = certificate_services.recertification_start(actor=owner, certificate=certificate)

    bk_decision.refresh_from_db()
    appeal = certificate_services.appeal_file(
        actor=owner, decision=bk_decision, reasons=f"Asesor tidak memberi kesempatan {CANARY['appeal']}",
        process_explained=True, discussed_with_assessor=True, involves_other_person=False,
        files=[pdf_upload("bukti-banding.pdf", CANARY["appeal"])],
    )
    appeal = certificate_services.appeal_receive(actor=staff, appeal=appeal)
    appeal = certificate_services.appeal_panel_form(actor=staff, appeal=appeal, members=[users["appeal"]])

    question = applicant_services.question_ask(
        actor=owner, subject=f"Jadwal uji {CANARY['question']}", body=f"Kapan jadwal saya? {CANARY['question']}",
        application=application,
    )

    objects = {
        "tmi": tmi,
        "application": Application.objects.get(pk=application.pk),
        "appealed_application": Application.objects.get(pk=appealed_application.pk),
        "recertification": Application.objects.get(pk=recertification.pk),
        "document": application.documents.filter(kind=Document.Kind.REQUIREMENT, content_type="application/pdf").first(),
        "appealed_document": appealed_application.documents.filter(
            kind=Document.Kind.REQUIREMENT, content_type="application/pdf"
        ).first(),
        "evidence_document": application.documents.get(kind=Document.Kind.EVIDENCE),
        "requirement_id": application.documents.filter(kind=Document.Kind.REQUIREMENT).first().requirement_id,
        "question": question,
        "tuk": tuk,
        "schedule": schedule,
        "assignment": assignment,
        "record": record,
        "meeting": meeting,
        "decision": decision,
        "bk_decision": bk_decision,
        "letter": letter,
        "certificate": certificate,
        "surveillance": surveillance,
        "surveillance_file": surveillance.files.get(),
        "case": case,
        "step": step,
        "appeal": appeal,
        "appeal_attachment": appeal.attachments.get(),
    }
    _admin_only_rows()
    return World(users=users, objects=objects)


def _admin_only_rows():
    """One row of each model that only the Django admin shows, so that its change, delete and history pages exist."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from schemes.models import Element, Unit

    # Elements are entered in the admin when known; added last, so the applications above keep their snapshot.
    Element.objects.create(unit=Unit.objects.order_by("pk").first(), order=1, title="Menyusun jadwal produksi")
    Group.objects.create(name="Pembaca")
    attempt = {"user_agent": "test", "ip_address": "10.9.9.9", "username": "tamu@example.test", "http_accept": "*/*",
               "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt, locked_out=False)
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    CrontabSchedule.objects.create(minute="0", hour="6")
    SolarSchedule.objects.create(event="sunrise", latitude=-6.9, longitude=107.6)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    PeriodicTask.objects.create(name="Pengingat harian", task="lsp.tasks.send_reminders", interval=interval)
