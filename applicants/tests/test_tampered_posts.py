"""Tampered POSTs: fields added to a form (status, decision, assessor, certificate number, user id,
is_staff…) change nothing; the form's own fields in the same POST are applied as usual.

Each test posts to a real page as the logged-in owner (or a visitor, for registration), then reads
the database: the guarded attributes are as before, every user's flags and roles are as before,
no decision, assignment or certificate appeared, and the legitimate change is there.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from applicants import services
from applicants.models import (
    ApplicantProfile,
    Application,
    Document,
    Invoice,
    PaymentProof,
    Question,
    SelfAssessmentAnswer,
)
from applicants.snapshot import application_scheme, assessment_items
from lsp.models import Role, User, UserRole
from schemes.models import Scheme

from .conftest import PERSONAL, fill_draft, reload, review_all
from .files import good_pdf, pdf_bytes
from .hostile_corpus import MULTIPART, multipart

pytestmark = pytest.mark.django_db

GUARDED = (
    "applicant_id",
    "scheme_id",
    "status",
    "reference",
    "fee",
    "snapshot",
    "submitted_at",
    "last_submitted_at",
    "decided_at",
    "decided_by_id",
    "declared_at",
    "consented_at",
    "revision_note",
    "revision_sections",
    "rejection_reason",
    "recertifies_id",
    "apl01_pdf",
    "apl02_pdf",
)


@pytest.fixture
def other_scheme(tmi):
    return Scheme.objects.exclude(pk=tmi.pk).first()


@pytest.fixture
def tampered(other_applicant, staff, tmi, other_scheme):
    """What an attacker adds to any form: every field name that would matter if a form took it."""
    hacker_date = "2020-01-01T00:00:00+07:00"
    return {
        # The application's state and its decision.
        "status": "accepted",
        "decision": "granted",
        "decided_by": staff.pk,
        "decided_by_id": staff.pk,
        "decided_at": hacker_date,
        "submitted_at": hacker_date,
        "rejection_reason": "",
        "revision_sections": "personal",
        "review": "meets",
        "reviewed_by": staff.pk,
        # Whose it is and what it is for.
        "applicant": other_applicant.pk,
        "applicant_id": other_applicant.pk,
        "owner": other_applicant.pk,
        "user": other_applicant.pk,
        "user_id": other_applicant.pk,
        "author": staff.pk,
        "scheme": other_scheme.pk,
        "scheme_id": other_scheme.pk,
        "snapshot": "{}",
        "recertifies": 1,
        # Money and numbers.
        "fee": "0",
        "amount": "1",
        "reference": "REG/1999/HACKED",
        "number": "INV/1999/HACKED",
        "certificate_number": "LSP/CERT/HACKED",
        "settled_by": staff.pk,
        "sponsor_reference": "HACKED",
        # The assessment and the person's privileges.
        "assessor": staff.pk,
        "assessor_id": staff.pk,
        "is_staff": "1",
        "is_superuser": "1",
        "is_active": "1",
        "role": Role.ADMIN,
        "roles": [Role.ADMIN, Role.STAFF],
        "groups": "1",
        "user_permissions": "1",
        "email_verified_at": hacker_date,
        "from_lsp": "1",
    }


def guarded(application):
    fresh = Application.objects.get(pk=application.pk)
    return {name: getattr(fresh, name) for name in GUARDED}


def world():
    """Everything no applicant form may touch: users' flags and roles, invoices, proofs, and every
    row of the assessments and certificates apps (assignments, decisions, certificates…)."""
    state = {
        "users": list(User.objects.order_by("pk").values_list("pk", "is_staff", "is_superuser", "is_active")),
        "roles": sorted(UserRole.objects.values_list("user_id", "role")),
        "invoices": list(Invoice.objects.order_by("pk").values()),
        "proofs": list(PaymentProof.objects.order_by("pk").values_list("pk", "status", "reviewed_by_id")),
        "applications": sorted(Application.objects.values_list("pk", "applicant_id", "scheme_id")),
    }
    for label in ("assessments", "certificates"):
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = model.objects.count()
    return state


def _url(name, application):
    return reverse(f"applicants:{name}", args=[application.pk])


def _form_date(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


# --- APL-01: personal data, work, purpose ---------------------------------------------------------


def test_personal_data_with_added_fields_saves_only_the_personal_data(
    client, draft, applicant, other_applicant, tampered
):
    client.force_login(applicant)
    before, everything = guarded(draft), world()
    data = {name: _form_date(value) for name, value in PERSONAL.items()}
    data.update(full_name="Ani Wijaya Putri", phone_mobile="081298765432")
    response = client.post(_url("personal", draft), {**tampered, **data})
    assert response.status_code == 302
    application = reload(draft)
    assert (application.full_name, application.phone_mobile) == ("Ani Wijaya Putri", "081298765432")
    assert guarded(draft) == before
    assert world() == everything
    # The profile updated is the applicant's own, not the one named in "user"/"applicant".
    assert ApplicantProfile.objects.get(user=applicant).full_name == "Ani Wijaya Putri"
    assert not ApplicantProfile.objects.filter(user=other_applicant).exists()


def test_work_with_added_fields_saves_only_the_work(client, draft, applicant, tampered):
    client.force_login(applicant)
    before, everything = guarded(draft), world()
    data = {"work_institution": "PT Maju Jaya", "work_position": "Supervisor Produksi", "work_postcode": "40115"}
    response = client.post(_url("work", draft), {**tampered, **data})
    assert response.status_code == 302
    application = reload(draft)
    assert (application.work_institution, application.work_position) == ("PT Maju Jaya", "Supervisor Produksi")
    assert guarded(draft) == before
    assert world() == everything


def test_purpose_with_added_fields_saves_only_the_purpose(client, draft, applicant, tampered):
    client.force_login(applicant)
    before, everything = guarded(draft), world()
    data = {"purpose": "rpl", "purpose_other": "", "funding": "employer", "funding_detail": "PT Maju Jaya"}
    response = client.post(_url("purpose", draft), {**tampered, **data})
    assert response.status_code == 302
    application = reload(draft)
    assert (application.purpose, application.funding, application.funding_detail) == ("rpl", "employer", "PT Maju Jaya")
    assert guarded(draft) == before
    assert world() == everything


# --- documents: the prerequisite path ---------------------------------------------------------------


def test_choosing_the_path_with_added_fields_changes_only_the_path(client, draft, applicant, tmi, tampered):
    other_path = tmi.prerequisite_alternatives.exclude(pk=draft.alternative_id).first()
    client.force_login(applicant)
    before, everything = guarded(draft), world()
    response = client.post(_url("choose-alternative", draft), {**tampered, "alternative": other_path.pk})
    assert response.status_code == 302
    assert reload(draft).alternative_id == other_path.pk
    assert guarded(draft) == before
    assert world() == everything


def test_a_path_of_another_scheme_is_refused(client, draft, applicant, other_scheme):
    foreign = other_scheme.prerequisite_alternatives.first()
    client.force_login(applicant)
    before, path = guarded(draft), draft.alternative_id
    client.post(_url("choose-alternative", draft), {"alternative": foreign.pk})
    assert reload(draft).alternative_id == path
    assert guarded(draft) == before


def test_a_document_upload_with_added_fields_is_a_pending_requirement_of_the_uploader(
    client, draft, applicant, other_applicant, staff, tampered
):
    requirement = application_scheme(draft)["required_documents"][0]["id"]
    client.force_login(applicant)
    before, everything = guarded(draft), world()
    rows = set(Document.objects.values_list("pk", flat=True))
    fields = {key: value for key, value in tampered.items() if not isinstance(value, list)}
    fields |= {"kind": "payment_proof", "application": 999_999, "requirement_id": 999_999, "storage_name": "../x.pdf"}
    fields |= {f"r{requirement}-requirement": requirement}
    body = multipart(fields, [(f"r{requirement}-file", "ktp baru.pdf", pdf_bytes(), "application/pdf")])
    response = client.post(
        reverse("applicants:upload-requirement", args=[draft.pk, requirement]), data=body, content_type=MULTIPART
    )
    assert response.status_code == 302
    document = Document.objects.exclude(pk__in=rows).get()
    assert (document.application_id, document.owner_id) == (draft.pk, applicant.pk)
    assert (document.kind, document.requirement_id) == (Document.Kind.REQUIREMENT, requirement)
    assert (document.review, document.reviewed_by_id, document.original_name) == ("pending", None, "ktp baru.pdf")
    assert document.storage_name.startswith("applicants/") and ".." not in document.storage_name
    assert guarded(draft) == before
    assert world() == everything


# --- APL-02 self-assessment -----------------------------------------------------------------------


def test_self_assessment_with_added_fields_saves_only_the_answers(client, draft, applicant, tampered):
    items = assessment_items(application_scheme(draft))
    evidence = draft.documents.filter(kind=Document.Kind.REQUIREMENT).first()
    client.force_login(applicant)
    before, everything = guarded(draft), world()
    data = {f"answer_{i}": "BK" for i in range(len(items))}
    data["evidence_0"] = [str(evidence.pk)]
    response = client.post(_url("self-assessment", draft), {**tampered, "application": 999_999, **data})
    assert response.status_code == 302
    answers = SelfAssessmentAnswer.objects.filter(application=draft)
    assert set(answers.values_list("answer", flat=True)) == {"BK"}
    assert answers.count() == len(items)
    assert guarded(draft) == before
    assert world() == everything


def test_self_assessment_evidence_from_someone_else_is_refused(
    client, draft, applicant, other_applicant, tmi, student_path
):
    theirs = fill_draft(services.application_start(actor=other_applicant, scheme=tmi), other_applicant, student_path)
    their_document = theirs.documents.first()
    items = assessment_items(application_scheme(draft))
    client.force_login(applicant)
    data = {f"answer_{i}": "BK" for i in range(len(items))}
    data["evidence_0"] = [str(their_document.pk)]
    response = client.post(_url("self-assessment", draft), data)
    assert response.status_code == 200  # the form shows again
    assert set(SelfAssessmentAnswer.objects.filter(application=draft).values_list("answer", flat=True)) == {"K"}
    assert not their_document.answers.filter(application=draft).exists()


# --- submission -----------------------------------------------------------------------------------


def test_submit_with_added_fields_takes_fee_number_and_snapshot_from_the_lsp_not_the_post(
    client, draft, applicant, tmi, tampered
):
    client.force_login(applicant)
    everything = world()
    response = client.post(_url("submit", draft), {**tampered, "declaration": "on", "consent": "on"})
    assert response.status_code == 302
    application = reload(draft)
    # The legitimate effect: submitted, with what the service (not the POST) decides.
    assert application.status == Application.Status.SUBMITTED
    assert application.fee == tmi.fee == Decimal("2000000.00")
    assert application.reference.startswith("REG/") and "HACKED" not in application.reference
    assert application.snapshot and application.snapshot != {}
    assert (application.applicant_id, application.scheme_id) == (applicant.pk, tmi.pk)
    assert (application.decided_by_id, application.decided_at) == (None, None)
    assert application.revision_sections == []
    assert world() == everything


# --- the fee: transfer proof ----------------------------------------------------------------------


def test_transfer_proof_with_added_fields_leaves_the_invoice_amount_number_and_settlement(
    client, accepted, applicant, staff, tampered
):
    invoice = accepted.invoice
    client.force_login(applicant)
    body = multipart(
        {key: value for key, value in tampered.items() if not isinstance(value, list)} | {"invoice": 999_999},
        [("file", "bukti transfer.pdf", pdf_bytes(), "application/pdf")],
    )
    before = guarded(accepted)
    response = client.post(_url("invoice", accepted), data=body, content_type=MULTIPART)
    assert response.status_code == 302
    after = Invoice.objects.get(pk=invoice.pk)
    assert (after.amount, after.number, after.due_date) == (invoice.amount, invoice.number, invoice.due_date)
    assert after.amount == Decimal("2000000.00")
    # The legitimate effect: a proof waiting for staff, nothing settled.
    assert after.status == Invoice.Status.PROOF_SUBMITTED
    assert (after.settled_at, after.settled_by_id, after.sponsor_reference) == (None, None, "")
    proof = after.proofs.get()
    assert (proof.status, proof.reviewed_by_id) == (PaymentProof.Status.PENDING, None)
    assert (proof.document.owner_id, proof.document.kind) == (applicant.pk, Document.Kind.PAYMENT_PROOF)
    assert proof.document.review == Document.Review.PENDING
    assert guarded(accepted) == before
    assert not reload(accepted).is_payment_settled


# --- questions to the LSP -------------------------------------------------------------------------


def test_a_question_with_added_fields_is_the_askers_and_waits_for_the_lsp(
    client, draft, applicant, other_applicant, staff, tampered
):
    client.force_login(applicant)
    everything = world()
    data = {"about": f"application:{draft.pk}", "subject": "Jadwal asesmen", "body": "Kapan jadwalnya?"}
    response = client.post(reverse("applicants:questions"), {**tampered, "application": 999_999, **data})
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.subject, question.application_id) == ("Jadwal asesmen", draft.pk)
    assert question.applicant_id == applicant.pk
    assert question.status == Question.Status.AWAITING_LSP
    message = question.messages.get()
    assert (message.author_id, message.from_lsp, message.body) == (applicant.pk, False, "Kapan jadwalnya?")
    assert world() == everything


def test_a_question_about_someone_elses_application_is_refused(client, applicant, other_applicant, tmi):
    theirs = services.application_start(actor=other_applicant, scheme=tmi)
    client.force_login(applicant)
    data = {"about": f"application:{theirs.pk}", "subject": "Intip", "body": "Data orang lain?"}
    response = client.post(reverse("applicants:questions"), data)
    assert response.status_code == 200  # "select a valid choice": not one of the asker's applications
    assert not Question.objects.exists()


# --- starting an application and registering ------------------------------------------------------


def test_starting_an_application_with_added_fields_opens_a_plain_draft_of_the_pages_scheme(
    client, applicant, tmi, tampered
):
    client.force_login(applicant)
    everything = world()
    response = client.post(reverse("applicants:start", args=[tmi.slug]), tampered)
    assert response.status_code == 302
    application = Application.objects.get(applicant=applicant)
    assert (application.scheme_id, application.status) == (tmi.pk, Application.Status.DRAFT)
    assert (application.reference, application.fee, application.snapshot) == ("", None, {})
    assert (application.decided_by_id, application.submitted_at) == (None, None)
    assert {key: value for key, value in world().items() if key != "applications"} == {
        key: value for key, value in everything.items() if key != "applications"
    }


def test_registration_with_added_fields_makes_an_inactive_plain_applicant(client, tmi, tampered):
    everything = world()
    data = {
        "full_name": "Citra Lestari",
        "email": "citra@example.test",
        "password1": "Kunci-Rahasia-2026!",
        "password2": "Kunci-Rahasia-2026!",
    }
    response = client.post(reverse("register"), {**tampered, **data})
    assert response.status_code == 200
    user = User.objects.get(email="citra@example.test")
    assert user.full_name == "Citra Lestari"
    assert (user.is_active, user.is_staff, user.is_superuser, user.email_verified_at) == (False, False, False, None)
    assert list(user.roles.values_list("role", flat=True)) == [Role.APPLICANT]
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert not Application.objects.filter(applicant=user).exists()
    # Nobody else changed either (the new user and role rows aside).
    after = world()
    assert [row for row in after["users"] if row[0] != user.pk] == everything["users"]
    assert [row for row in after["roles"] if row[0] != user.pk] == everything["roles"]


# --- staff forms: the service decides amounts, numbers and who acted ------------------------------


def test_staff_acceptance_with_added_fields_issues_the_invoice_the_service_computes(
    client, submitted, staff, organisation, make_user, tampered
):
    review_all(submitted, staff)
    other_staff = make_user(Role.STAFF, full_name="Staf Lain")
    client.force_login(staff)
    response = client.post(
        _url("accept", submitted), {**tampered, "decided_by": other_staff.pk, "payment_due": "2026-12-31"}
    )
    assert response.status_code == 302
    application = reload(submitted)
    assert application.status == Application.Status.ACCEPTED
    assert application.decided_by_id == staff.pk
    assert (application.applicant_id, application.fee) == (submitted.applicant_id, Decimal("2000000.00"))
    invoice = application.invoice
    assert invoice.amount == Decimal("2000000.00")
    assert invoice.number.startswith("INV/") and "HACKED" not in invoice.number
    assert invoice.due_date == datetime.date(2026, 12, 31)
    assert invoice.status == Invoice.Status.UNPAID
    staff.refresh_from_db()
    assert (staff.is_staff, staff.is_superuser) == (False, False)


def test_staff_payment_verification_with_added_fields_keeps_the_amount_and_records_the_real_actor(
    client, accepted, applicant, staff, make_user, tampered
):
    services.payment_proof_upload(actor=applicant, application=accepted, uploaded_file=good_pdf("bukti.pdf"))
    other_staff = make_user(Role.STAFF, full_name="Staf Lain")
    invoice = reload(accepted).invoice
    client.force_login(staff)
    response = client.post(_url("payment-verify", accepted), {**tampered, "settled_by": other_staff.pk})
    assert response.status_code == 302
    after = Invoice.objects.get(pk=invoice.pk)
    assert (after.status, after.settled_by_id) == (Invoice.Status.PAID, staff.pk)
    assert (after.amount, after.number) == (invoice.amount, invoice.number)
    assert reload(accepted).status == Application.Status.ACCEPTED
