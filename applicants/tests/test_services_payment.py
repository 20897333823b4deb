"""The fee (section 8): transfer proof, verification, refusal, sponsorship; nothing is scheduled before it is settled."""

import pytest
from django.core import mail

from applicants import services
from applicants.models import Application, Invoice, PaymentProof
from applicants.selectors import applications_ready_for_assessment
from applicants.uploads import UploadRefused
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent

from .conftest import reload, storage_files
from .files import good_jpeg, good_pdf, upload

pytestmark = pytest.mark.django_db
I = Invoice.Status  # noqa: E741


def events(invoice, action):
    return AuditEvent.objects.filter(action=action, object_id=str(invoice.pk))


@pytest.fixture
def proof_sent(accepted, applicant):
    services.payment_proof_upload(actor=applicant, application=accepted, uploaded_file=good_jpeg("bukti-transfer.jpg"))
    return accepted


# --- transfer proof ------------------------------------------------------------------------


def test_the_applicant_uploads_a_transfer_proof_8(accepted, applicant):
    proof = services.payment_proof_upload(actor=applicant, application=accepted, uploaded_file=good_pdf("bukti.pdf"))
    invoice = reload(accepted).invoice
    assert invoice.status == I.PROOF_SUBMITTED
    assert proof.status == PaymentProof.Status.PENDING
    assert proof.document.kind == "payment_proof"
    assert events(invoice, "payment.proof_upload").count() == 1


def test_a_new_proof_replaces_one_still_waiting(proof_sent, applicant):
    services.payment_proof_upload(actor=applicant, application=proof_sent, uploaded_file=good_pdf("bukti2.pdf"))
    statuses = sorted(PaymentProof.objects.values_list("status", flat=True))
    assert statuses == ["pending", "superseded"]


def test_proof_upload_refused_before_acceptance(submitted, applicant):
    with pytest.raises(InvalidState):
        services.payment_proof_upload(actor=applicant, application=submitted, uploaded_file=good_pdf())


def test_proof_upload_refused_for_someone_else(accepted, other_applicant, staff):
    for actor in (other_applicant, staff):
        with pytest.raises(NotAllowed):
            services.payment_proof_upload(actor=actor, application=accepted, uploaded_file=good_pdf())


def test_a_hostile_proof_is_refused_and_nothing_stored(accepted, applicant):
    before = storage_files()
    with pytest.raises(UploadRefused):
        services.payment_proof_upload(
            actor=applicant, application=accepted, uploaded_file=upload("bukti.pdf", b"MZ\x90\x00" + b"\x00" * 64)
        )
    assert storage_files() == before
    assert not PaymentProof.objects.exists()


# --- verify ----------------------------------------------------------------------------------


def test_verify_settles_the_invoice_and_the_application_is_ready_for_assessment_8(
    proof_sent, staff, django_capture_on_commit_callbacks
):
    assert list(applications_ready_for_assessment()) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.payment_verify(actor=staff, application=proof_sent)
    assert (invoice.status, invoice.settled_by) == (I.PAID, staff)
    assert reload(proof_sent).is_payment_settled
    assert list(applications_ready_for_assessment()) == [reload(proof_sent)]
    assert list(applications_ready_for_assessment(scheme=proof_sent.scheme)) == [reload(proof_sent)]
    event = events(invoice, "payment.verify").get()
    assert (event.actor, event.from_state, event.to_state) == (staff, "proof_submitted", "paid")
    assert len(mail.outbox) == 1


def test_verify_refused_without_a_proof(accepted, staff):
    with pytest.raises(InvalidState):
        services.payment_verify(actor=staff, application=accepted)


def test_verify_refused_before_acceptance(submitted, staff):
    with pytest.raises(InvalidState):
        services.payment_verify(actor=staff, application=submitted)


def test_verify_refused_for_the_applicant(proof_sent, applicant):
    with pytest.raises(NotAllowed):
        services.payment_verify(actor=applicant, application=proof_sent)


def test_verify_twice_changes_nothing(proof_sent, staff):
    services.payment_verify(actor=staff, application=proof_sent)
    services.payment_verify(actor=staff, application=proof_sent)
    assert events(reload(proof_sent).invoice, "payment.verify").count() == 1


# --- reject ----------------------------------------------------------------------------------


def test_reject_proof_with_a_reason_then_a_new_proof_is_verified(
    proof_sent, staff, applicant, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.payment_reject(actor=staff, application=proof_sent, reason="Nominal kurang")
    assert invoice.status == I.PROOF_REJECTED
    assert PaymentProof.objects.get().rejection_reason == "Nominal kurang"
    assert "Nominal kurang" in mail.outbox[0].body
    assert not reload(proof_sent).is_payment_settled
    services.payment_proof_upload(actor=applicant, application=proof_sent, uploaded_file=good_pdf("bukti-lengkap.pdf"))
    services.payment_verify(actor=staff, application=proof_sent)
    assert reload(proof_sent).is_payment_settled


def test_reject_proof_needs_a_reason(proof_sent, staff):
    with pytest.raises(InvalidState):
        services.payment_reject(actor=staff, application=proof_sent, reason="")


def test_reject_proof_refused_without_a_pending_proof(accepted, staff):
    with pytest.raises(InvalidState):
        services.payment_reject(actor=staff, application=accepted, reason="x")


def test_reject_proof_refused_after_verification(proof_sent, staff):
    services.payment_verify(actor=staff, application=proof_sent)
    with pytest.raises(InvalidState):
        services.payment_reject(actor=staff, application=proof_sent, reason="x")


def test_reject_proof_refused_for_the_applicant(proof_sent, applicant):
    with pytest.raises(NotAllowed):
        services.payment_reject(actor=applicant, application=proof_sent, reason="x")


def test_reject_proof_twice_changes_nothing(proof_sent, staff):
    services.payment_reject(actor=staff, application=proof_sent, reason="x")
    services.payment_reject(actor=staff, application=proof_sent, reason="y")
    assert events(reload(proof_sent).invoice, "payment.reject").count() == 1


# --- sponsor ---------------------------------------------------------------------------------


def test_sponsored_fee_settles_the_invoice_8(accepted, staff):
    invoice = services.payment_mark_sponsored(
        actor=staff, application=accepted, sponsor_type="government", sponsor_name="Kemnaker", reference="PKS-12/2026"
    )
    assert (invoice.status, invoice.sponsor_reference) == (I.SPONSORED, "PKS-12/2026")
    assert reload(accepted).is_payment_settled
    assert list(applications_ready_for_assessment()) == [reload(accepted)]
    event = events(invoice, "payment.sponsor").get()
    assert (event.from_state, event.to_state, event.reason) == ("unpaid", "sponsored", "PKS-12/2026")


def test_sponsor_supersedes_a_waiting_proof(proof_sent, staff):
    services.payment_mark_sponsored(actor=staff, application=proof_sent, sponsor_type="employer", reference="SPK-1")
    assert PaymentProof.objects.get().status == PaymentProof.Status.SUPERSEDED


def test_sponsor_needs_a_reference(accepted, staff):
    with pytest.raises(InvalidState):
        services.payment_mark_sponsored(actor=staff, application=accepted, sponsor_type="employer", reference=" ")


def test_sponsor_refused_when_already_paid(proof_sent, staff):
    services.payment_verify(actor=staff, application=proof_sent)
    with pytest.raises(InvalidState):
        services.payment_mark_sponsored(actor=staff, application=proof_sent, sponsor_type="employer", reference="x")


def test_sponsor_refused_before_acceptance(submitted, staff):
    with pytest.raises(InvalidState):
        services.payment_mark_sponsored(actor=staff, application=submitted, sponsor_type="employer", reference="x")


def test_sponsor_refused_for_the_applicant(accepted, applicant):
    with pytest.raises(NotAllowed):
        services.payment_mark_sponsored(actor=applicant, application=accepted, sponsor_type="employer", reference="x")


def test_sponsor_twice_changes_nothing(accepted, staff):
    services.payment_mark_sponsored(actor=staff, application=accepted, sponsor_type="collective", reference="A")
    again = services.payment_mark_sponsored(actor=staff, application=accepted, sponsor_type="employer", reference="B")
    assert (again.sponsor_type, again.sponsor_reference) == ("collective", "A")
    assert events(again, "payment.sponsor").count() == 1


def test_not_ready_for_assessment_unless_accepted_and_settled(accepted, staff):
    services.payment_mark_sponsored(actor=staff, application=accepted, sponsor_type="employer", reference="x")
    Application.objects.filter(pk=accepted.pk).update(status=Application.Status.WITHDRAWN)
    assert list(applications_ready_for_assessment()) == []
