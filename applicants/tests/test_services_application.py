"""The applicant's side of 9.1: start, fill in, submit, resubmit, withdraw — made through the services."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from applicants import services
from applicants.models import ApplicantProfile, Application, Document
from applicants.snapshot import application_scheme
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification
from schemes.models import Scheme
from schemes.services import scheme_set_status

from .conftest import PERSONAL, fill_draft, reload, review_all
from .files import good_pdf

pytestmark = pytest.mark.django_db


def events(application, action):
    return AuditEvent.objects.filter(action=action, object_id=str(application.pk))


# --- start -----------------------------------------------------------------------------------


def test_start_opens_a_draft_from_the_profile_9_1_1(applicant, tmi):
    ApplicantProfile.objects.create(user=applicant, full_name="Ani W.", nik="3273015508020001", education="sma")
    application = services.application_start(actor=applicant, scheme=tmi)
    assert application.status == Application.Status.DRAFT
    assert (application.full_name, application.nik, application.education) == ("Ani W.", "3273015508020001", "sma")
    assert events(application, "application.start").count() == 1


def test_start_twice_returns_the_open_application(applicant, tmi):
    first = services.application_start(actor=applicant, scheme=tmi)
    second = services.application_start(actor=applicant, scheme=tmi)
    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_start_refused_for_a_scheme_that_is_not_active(applicant, tmi):
    scheme_set_status(scheme=tmi, status=Scheme.Status.RETIRED)
    with pytest.raises(InvalidState):
        services.application_start(actor=applicant, scheme=tmi)


def test_start_refused_for_someone_who_is_not_an_applicant(staff, tmi):
    with pytest.raises(NotAllowed):
        services.application_start(actor=staff, scheme=tmi)


def test_one_open_application_per_applicant_and_scheme_is_a_database_rule(draft, applicant, tmi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(applicant=applicant, scheme=tmi)


def test_a_new_application_is_possible_after_withdrawal(draft, applicant, tmi):
    services.application_withdraw(actor=applicant, application=draft)
    again = services.application_start(actor=applicant, scheme=tmi)
    assert again.pk != draft.pk


# --- editing --------------------------------------------------------------------------------


def test_personal_data_updates_the_profile_for_the_next_application(draft, applicant):
    profile = ApplicantProfile.objects.get(user=applicant)
    assert (profile.nik, profile.birth_place) == (PERSONAL["nik"], PERSONAL["birth_place"])


def test_only_the_owner_edits_a_draft(draft, other_applicant, staff):
    for actor in (other_applicant, staff):
        with pytest.raises(NotAllowed):
            services.application_update_section(
                actor=actor, application=draft, section="personal", data={"full_name": "Penyusup"}
            )
    assert reload(draft).full_name == PERSONAL["full_name"]


def test_an_invalid_nik_is_refused_by_the_service(draft, applicant):
    with pytest.raises(InvalidState):
        services.application_update_section(
            actor=applicant, application=draft, section="personal", data={"nik": "12345"}
        )


def test_a_submitted_application_is_read_only_to_its_owner(submitted, applicant):
    with pytest.raises(InvalidState):
        services.application_update_section(
            actor=applicant, application=submitted, section="personal", data={"full_name": "Lain"}
        )
    requirement = application_scheme(submitted)["required_documents"][0]
    with pytest.raises(InvalidState):
        services.document_upload(
            actor=applicant,
            application=submitted,
            kind="requirement",
            uploaded_file=good_pdf(),
            requirement_id=requirement["id"],
        )


def test_evidence_must_be_the_applicants_own_file(draft, applicant, other_applicant, tmi, student_path):
    other = fill_draft(services.application_start(actor=other_applicant, scheme=tmi), other_applicant, student_path)
    foreign = other.documents.first()
    key = ("C.281930.002.01", 0)
    with pytest.raises(NotAllowed):
        services.application_answer_save(actor=applicant, application=draft, answers={key: ("K", [foreign])})


# --- submit (9.1.2–9.1.4) -------------------------------------------------------------------


def test_submit_keeps_a_snapshot_of_the_scheme_and_its_fee_9_1_4(
    draft, applicant, tmi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        application = services.application_submit(actor=applicant, application=draft, declaration=True, consent=True)
    assert application.status == Application.Status.SUBMITTED
    assert application.reference.startswith("REG/") and application.reference.endswith("/000001")
    assert application.fee == Decimal("2000000.00")
    assert application.snapshot["scheme"]["fee"] == "2000000.00"
    assert application.snapshot["alternative"]["code"] == "B"
    assert [d["clause"] for d in application.snapshot["required_documents"]] == [
        "9.1.2.a",
        "9.1.2.b",
        "9.1.2.c",
        "9.1.2.e",
    ]
    assert len(application.snapshot["units"]) == 10
    assert application.declared_at and application.consented_at
    event = events(application, "application.submit").get()
    assert (event.actor, event.from_state, event.to_state) == (applicant, "draft", "submitted")
    # After commit: the email to the applicant, and the APL-01/APL-02 PDFs.
    assert [m.to for m in mail.outbox] == [["ani@example.test"]]
    assert len(callbacks) >= 2
    assert reload(application).apl01_pdf.endswith("APL-01.pdf")


def test_later_edits_of_the_scheme_never_change_a_submitted_application(submitted, tmi):
    before = reload(submitted).snapshot
    tmi.fee = Decimal("9999999")
    tmi.save()
    unit = tmi.units.first()
    unit.title = "Judul baru"
    unit.save()
    tmi.required_documents.filter(clause="9.1.2.a").update(description="Berubah")
    application = reload(submitted)
    assert application.fee == Decimal("2000000.00")
    assert application.snapshot == before
    assert application_scheme(application)["units"][0]["title"] != "Judul baru"
    assert application.answers.get(unit_code=unit.code).unit_title != "Judul baru"


def test_submit_refused_without_required_document_9_1_2(draft, applicant):
    document = draft.documents.get(requirement__clause="9.1.2.e")
    services.document_remove(actor=applicant, document=document)
    with pytest.raises(InvalidState) as refused:
        services.application_submit(actor=applicant, application=draft, declaration=True, consent=True)
    assert "9.1.2.e" in str(refused.value)
    assert reload(draft).status == Application.Status.DRAFT
    assert not events(draft, "application.submit").exists()


def test_submit_refused_without_the_declaration_9_1_4(draft, applicant):
    with pytest.raises(InvalidState):
        services.application_submit(actor=applicant, application=draft, declaration=False, consent=True)
    with pytest.raises(InvalidState):
        services.application_submit(actor=applicant, application=draft, declaration=True, consent=False)
    assert reload(draft).status == Application.Status.DRAFT


def test_submit_refused_with_an_unanswered_apl02_unit_9_1_3(draft, applicant):
    draft.answers.first().delete()
    with pytest.raises(InvalidState) as refused:
        services.application_submit(actor=applicant, application=draft, declaration=True, consent=True)
    assert "APL-02" in str(refused.value)


def test_submit_refused_when_the_scheme_was_retired(draft, applicant, tmi):
    scheme_set_status(scheme=tmi, status=Scheme.Status.RETIRED)
    with pytest.raises(InvalidState):
        services.application_submit(actor=applicant, application=draft, declaration=True, consent=True)


def test_submit_refused_for_another_applicant_or_staff(draft, other_applicant, staff):
    for actor in (other_applicant, staff):
        with pytest.raises(NotAllowed):
            services.application_submit(actor=actor, application=draft, declaration=True, consent=True)
    assert reload(draft).status == Application.Status.DRAFT


def test_submit_twice_changes_nothing_the_second_time(submitted, applicant):
    again = services.application_submit(actor=applicant, application=submitted, declaration=True, consent=True)
    assert again.reference == submitted.reference
    assert events(submitted, "application.submit").count() == 1
    assert Notification.objects.filter(user=applicant).count() == 1


@pytest.mark.parametrize("status", ["accepted", "rejected", "withdrawn", "revision_requested"])
def test_submit_refused_from_a_wrong_state(draft, applicant, status):
    Application.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(InvalidState):
        services.application_submit(actor=applicant, application=draft, declaration=True, consent=True)


# --- resubmit -------------------------------------------------------------------------------


@pytest.fixture
def in_revision(submitted, staff, applicant):
    review_all(submitted, staff)
    ktp = submitted.documents.get(requirement__clause="9.1.2.a")
    services.document_review(actor=staff, document=ktp, verdict="fails", note="KTP tidak terbaca")
    return services.application_request_revision(actor=staff, application=submitted, note="Unggah ulang KTP yang jelas")


def test_resubmit_after_fixing_the_document_9_1_5(in_revision, applicant):
    requirement = in_revision.documents.get(requirement__clause="9.1.2.a").requirement_id
    services.document_upload(
        actor=applicant,
        application=in_revision,
        kind="requirement",
        uploaded_file=good_pdf("ktp-jelas.pdf"),
        requirement_id=requirement,
    )
    application = services.application_resubmit(
        actor=applicant, application=in_revision, declaration=True, consent=True
    )
    assert application.status == Application.Status.SUBMITTED
    assert application.revision_sections == []
    # The refused file is kept in the record, replaced.
    old = Document.objects.get(application=application, requirement_id=requirement, review="fails")
    assert old.superseded_at is not None
    event = events(application, "application.resubmit").get()
    assert (event.from_state, event.to_state) == ("revision_requested", "submitted")


def test_resubmit_refused_while_the_failed_document_is_not_replaced(in_revision, applicant):
    with pytest.raises(InvalidState) as refused:
        services.application_resubmit(actor=applicant, application=in_revision, declaration=True, consent=True)
    assert "9.1.2.a" in str(refused.value)


def test_in_revision_only_the_parts_asked_for_can_change(in_revision, applicant):
    with pytest.raises(InvalidState):
        services.application_update_section(
            actor=applicant, application=in_revision, section="personal", data={"full_name": "Lain"}
        )


def test_resubmit_refused_from_a_draft(draft, applicant):
    with pytest.raises(InvalidState):
        services.application_resubmit(actor=applicant, application=draft, declaration=True, consent=True)


def test_resubmit_refused_for_staff(in_revision, staff):
    with pytest.raises(NotAllowed):
        services.application_resubmit(actor=staff, application=in_revision, declaration=True, consent=True)


def test_resubmit_twice_changes_nothing_the_second_time(in_revision, applicant):
    requirement = in_revision.documents.get(requirement__clause="9.1.2.a").requirement_id
    services.document_upload(
        actor=applicant,
        application=in_revision,
        kind="requirement",
        uploaded_file=good_pdf(),
        requirement_id=requirement,
    )
    services.application_resubmit(actor=applicant, application=in_revision, declaration=True, consent=True)
    services.application_resubmit(actor=applicant, application=in_revision, declaration=True, consent=True)
    assert events(in_revision, "application.resubmit").count() == 1


# --- withdraw -------------------------------------------------------------------------------


def test_withdraw_keeps_the_record(submitted, applicant):
    application = services.application_withdraw(actor=applicant, application=submitted, reason="pindah kerja")
    assert application.status == Application.Status.WITHDRAWN
    assert Application.objects.filter(pk=submitted.pk).exists()
    services.application_withdraw(actor=applicant, application=submitted)
    assert events(submitted, "application.withdraw").count() == 1


def test_withdraw_refused_after_the_decision(accepted, applicant):
    with pytest.raises(InvalidState):
        services.application_withdraw(actor=applicant, application=accepted)
