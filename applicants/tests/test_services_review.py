"""The LSP's review (9.1.5, 9.1.6): document verdicts, revision, acceptance, rejection."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from applicants import services
from applicants.models import Application, Document, Invoice
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Notification, Role

from .conftest import reload, review_all

pytestmark = pytest.mark.django_db
S = Application.Status


def events(obj, action):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


def _fail_ktp(application, staff):
    review_all(application, staff)
    ktp = application.documents.get(requirement__clause="9.1.2.a")
    return services.document_review(actor=staff, document=ktp, verdict="fails", note="Foto KTP buram")


# --- document verdicts ---------------------------------------------------------------------


def test_document_review_records_the_verdict_and_note_9_1_5(submitted, staff):
    document = submitted.documents.filter(kind="requirement").first()
    reviewed = services.document_review(actor=staff, document=document, verdict="meets", note="Sesuai")
    assert (reviewed.review, reviewed.review_note, reviewed.reviewed_by) == ("meets", "Sesuai", staff)
    assert events(submitted, "document.review").count() == 1
    services.document_review(actor=staff, document=document, verdict="meets", note="Sesuai")
    assert events(submitted, "document.review").count() == 1


def test_document_review_needs_a_note_when_it_fails(submitted, staff):
    document = submitted.documents.first()
    with pytest.raises(InvalidState):
        services.document_review(actor=staff, document=document, verdict="fails", note="")


def test_document_review_refused_for_the_applicant(submitted, applicant):
    with pytest.raises(NotAllowed):
        services.document_review(actor=applicant, document=submitted.documents.first(), verdict="meets")


def test_document_review_refused_on_a_draft(draft, staff):
    with pytest.raises(InvalidState):
        services.document_review(actor=staff, document=draft.documents.first(), verdict="meets")


# --- ask for a revision ---------------------------------------------------------------------


def test_request_revision_tells_the_applicant_what_to_fix_and_by_when_9_1_5(
    submitted, staff, applicant, django_capture_on_commit_callbacks
):
    _fail_ktp(submitted, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_request_revision(
            actor=staff, application=submitted, note="Unggah ulang KTP", sections=["purpose"]
        )
    assert application.status == S.REVISION_REQUESTED
    # The failed document's part is added to what the staff member ticked.
    assert application.revision_sections == ["purpose", "documents"]
    assert application.revision_due > timezone.localdate()
    event = events(application, "application.request_revision").get()
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        staff,
        "submitted",
        "revision_requested",
        "Unggah ulang KTP",
    )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Unggah ulang KTP" in body and "Foto KTP buram" in body


def test_request_revision_needs_something_to_fix(submitted, staff):
    with pytest.raises(InvalidState):
        services.application_request_revision(actor=staff, application=submitted, note="Perbaiki", sections=[])
    with pytest.raises(InvalidState):
        services.application_request_revision(actor=staff, application=submitted, note="", sections=["personal"])


def test_request_revision_due_date_cannot_be_past(submitted, staff):
    with pytest.raises(InvalidState):
        services.application_request_revision(
            actor=staff, application=submitted, note="x", sections=["personal"], due=datetime.date(2000, 1, 1)
        )


@pytest.mark.parametrize("status", [S.DRAFT, S.ACCEPTED, S.REJECTED, S.WITHDRAWN])
def test_request_revision_refused_from_a_wrong_state(submitted, staff, status):
    Application.objects.filter(pk=submitted.pk).update(status=status)
    with pytest.raises(InvalidState):
        services.application_request_revision(actor=staff, application=submitted, note="x", sections=["personal"])


def test_request_revision_refused_for_the_applicant_and_for_staff_reviewing_their_own(submitted, applicant):
    with pytest.raises(NotAllowed):
        services.application_request_revision(actor=applicant, application=submitted, note="x", sections=["personal"])
    # Impartiality: the applicant who is also staff cannot review their own application.
    applicant.roles.create(role=Role.STAFF)
    applicant = type(applicant).objects.get(pk=applicant.pk)
    with pytest.raises(NotAllowed):
        services.application_request_revision(actor=applicant, application=submitted, note="x", sections=["personal"])


def test_request_revision_twice_changes_nothing(submitted, staff):
    services.application_request_revision(actor=staff, application=submitted, note="x", sections=["personal"])
    again = services.application_request_revision(actor=staff, application=submitted, note="y", sections=["work"])
    assert again.revision_note == "x"
    assert events(submitted, "application.request_revision").count() == 1


# --- accept ---------------------------------------------------------------------------------


def test_accept_makes_the_applicant_a_peserta_and_issues_the_invoice_9_1_6(
    submitted, staff, organisation, tmi, django_capture_on_commit_callbacks
):
    review_all(submitted, staff)
    tmi.fee = Decimal("5000000")  # the scheme's fee changes after submission: the old one is owed
    tmi.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_accept(actor=staff, application=submitted)
    assert application.status == S.ACCEPTED
    assert (application.decided_by, application.decided_at is not None) == (staff, True)
    invoice = Invoice.objects.get(application=application)
    assert invoice.number == f"INV/{timezone.localdate().year}/000001"
    assert invoice.amount == Decimal("2000000.00")
    assert (invoice.bank_name, invoice.bank_account_number) == ("Bank Mandiri", "1234567890")
    assert invoice.status == Invoice.Status.UNPAID and invoice.due_date > timezone.localdate()
    assert not application.is_payment_settled
    event = events(application, "application.accept").get()
    assert (event.actor, event.from_state, event.to_state) == (staff, "submitted", "accepted")
    assert [m.to for m in mail.outbox] == [["ani@example.test"]]
    assert "INV/" in mail.outbox[0].body and "Rp 2.000.000" in mail.outbox[0].body


def test_accept_refused_until_every_document_meets_the_requirement(submitted, staff):
    with pytest.raises(InvalidState) as refused:
        services.application_accept(actor=staff, application=submitted)
    assert "not reviewed" in str(refused.value)
    _fail_ktp(submitted, staff)
    with pytest.raises(InvalidState):
        services.application_accept(actor=staff, application=submitted)
    assert reload(submitted).status == S.SUBMITTED
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.REVISION_REQUESTED, S.REJECTED, S.WITHDRAWN])
def test_accept_refused_from_a_wrong_state(submitted, staff, status):
    review_all(submitted, staff)
    Application.objects.filter(pk=submitted.pk).update(status=status)
    with pytest.raises(InvalidState):
        services.application_accept(actor=staff, application=submitted)


def test_accept_refused_for_the_applicant_and_an_assessor(submitted, staff, applicant, make_user):
    review_all(submitted, staff)
    for actor in (applicant, make_user(Role.ASSESSOR), make_user(Role.TECHNICAL_TEAM)):
        with pytest.raises(NotAllowed):
            services.application_accept(actor=actor, application=submitted)


def test_accept_twice_issues_one_invoice_and_one_email(accepted, staff, applicant):
    before = Notification.objects.filter(user=applicant).count()
    services.application_accept(actor=staff, application=accepted)
    assert Invoice.objects.count() == 1
    assert events(accepted, "application.accept").count() == 1
    assert Notification.objects.filter(user=applicant).count() == before


def test_invoice_numbers_follow_each_other(accepted, other_applicant, tmi, student_path, staff):
    from .conftest import fill_draft

    second = fill_draft(services.application_start(actor=other_applicant, scheme=tmi), other_applicant, student_path)
    services.application_submit(actor=other_applicant, application=second, declaration=True, consent=True)
    review_all(second, staff)
    services.application_accept(actor=staff, application=second)
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert [n[-6:] for n in numbers] == ["000001", "000002"]


# --- reject ---------------------------------------------------------------------------------


def test_reject_with_a_reason_9_1_5(submitted, staff, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_reject(actor=staff, application=submitted, reason="Belum lulus semester VI")
    assert (application.status, application.rejection_reason) == (S.REJECTED, "Belum lulus semester VI")
    event = events(application, "application.reject").get()
    assert (event.from_state, event.to_state, event.reason) == ("submitted", "rejected", "Belum lulus semester VI")
    assert "Belum lulus semester VI" in mail.outbox[0].body


def test_reject_needs_a_reason(submitted, staff):
    with pytest.raises(InvalidState):
        services.application_reject(actor=staff, application=submitted, reason="  ")


@pytest.mark.parametrize("status", [S.DRAFT, S.REVISION_REQUESTED, S.ACCEPTED, S.WITHDRAWN])
def test_reject_refused_from_a_wrong_state(submitted, staff, status):
    Application.objects.filter(pk=submitted.pk).update(status=status)
    with pytest.raises(InvalidState):
        services.application_reject(actor=staff, application=submitted, reason="x")


def test_reject_refused_for_the_applicant(submitted, applicant):
    with pytest.raises(NotAllowed):
        services.application_reject(actor=applicant, application=submitted, reason="x")


def test_reject_twice_changes_nothing(submitted, staff):
    services.application_reject(actor=staff, application=submitted, reason="x")
    again = services.application_reject(actor=staff, application=submitted, reason="y")
    assert again.rejection_reason == "x"
    assert events(submitted, "application.reject").count() == 1


def test_a_replaced_document_is_kept_but_cannot_be_reviewed(submitted, staff, applicant):
    _fail_ktp(submitted, staff)
    services.application_request_revision(actor=staff, application=submitted, note="KTP", sections=[])
    ktp = submitted.documents.get(requirement__clause="9.1.2.a")
    from .files import good_pdf

    services.document_upload(
        actor=applicant,
        application=submitted,
        kind="requirement",
        uploaded_file=good_pdf(),
        requirement_id=ktp.requirement_id,
    )
    services.application_resubmit(actor=applicant, application=submitted, declaration=True, consent=True)
    with pytest.raises(InvalidState):
        services.document_review(actor=staff, document=ktp, verdict="meets")
    assert Document.objects.filter(pk=ktp.pk, superseded_at__isnull=False).exists()
