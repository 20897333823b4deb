"""The holder's use agreement (9.8, 7.2.4) and the hand-over (9.4.7)."""

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, Handover, UseAgreement
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent

pytestmark = pytest.mark.django_db
M = Handover.Method


def sign(certificate, holder, ip="203.0.113.7"):
    return services.use_agreement_sign(
        actor=holder, certificate=certificate, agree_use_rules=True, agree_ethics=True, ip_address=ip,
        user_agent="Mozilla/5.0 test",
    )


def test_handover_refused_without_use_agreement_9_4_7(staff, certificate):
    services.certificate_bnsp_numbers_set(
        actor=staff, certificate=certificate, registration_number="REG-1", blanko_number="BLK-0001"
    )
    for method in M.values:
        with pytest.raises(InvalidState, match="use agreement"):
            services.certificate_hand_over(actor=staff, certificate=certificate, method=method)
    assert not Handover.objects.exists()


def test_use_agreement_keeps_rules_ethics_time_and_ip_9_8(certificate, candidate):
    agreement = sign(certificate, candidate)
    assert agreement.ip_address == "203.0.113.7" and agreement.agreed_at is not None
    assert [rule["clause"] for rule in agreement.use_rules] == ["9.8.1", "9.8.2", "9.8.3", "9.8.4"]
    assert agreement.ethics and all(item["clause"] for item in agreement.ethics)
    assert "Catur Karsa" in {item["heading"] for item in agreement.ethics}
    assert AuditEvent.objects.filter(action="certificate.use_agreement").count() == 1
    # Once: agreeing again returns the first agreement.
    assert sign(certificate, candidate, ip="198.51.100.1") == agreement
    assert UseAgreement.objects.get().ip_address == "203.0.113.7"


def test_only_the_holder_agrees_and_to_both_parts(certificate, staff, candidate):
    with pytest.raises(NotAllowed):
        sign(certificate, staff)
    with pytest.raises(InvalidState, match="both"):
        services.use_agreement_sign(actor=candidate, certificate=certificate, agree_use_rules=True, agree_ethics=False)


def test_printed_certificate_needs_the_blanko_number_9_4_7(staff, certificate, candidate):
    sign(certificate, candidate)
    with pytest.raises(InvalidState, match="blanko number"):
        services.certificate_hand_over(actor=staff, certificate=certificate, method=M.COLLECTED)
    services.certificate_bnsp_numbers_set(
        actor=staff, certificate=certificate, registration_number="REG-1", blanko_number="BLK-0001"
    )
    handover = services.certificate_hand_over(actor=staff, certificate=certificate, method=M.COLLECTED, note="Diambil sendiri")
    assert (handover.method, handover.recorded_by) == (M.COLLECTED, staff)
    assert services.certificate_hand_over(actor=staff, certificate=certificate, method=M.COLLECTED) == handover
    with pytest.raises(InvalidState, match="cannot change"):
        services.certificate_bnsp_numbers_set(
            actor=staff, certificate=certificate, registration_number="REG-1", blanko_number="BLK-0002"
        )


def test_no_handover_of_a_suspended_certificate(staff, certificate, candidate):
    sign(certificate, candidate)
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.SUSPENDED)
    with pytest.raises(InvalidState, match="not valid"):
        services.certificate_hand_over(actor=staff, certificate=certificate, method=M.DIGITAL)


def test_holder_records_only_the_digital_handover(certificate, candidate):
    sign(certificate, candidate)
    with pytest.raises(NotAllowed):
        services.certificate_hand_over(actor=candidate, certificate=certificate, method=M.POSTED)
    assert services.certificate_hand_over(actor=candidate, certificate=certificate, method=M.DIGITAL).recorded_by == candidate


def test_only_staff_enter_bnsp_numbers(staff, certificate):
    services.certificate_bnsp_numbers_set(actor=staff, certificate=certificate, registration_number="R1", blanko_number="B1")
    assert Certificate.objects.get().blanko_number == "B1"
    with pytest.raises(NotAllowed):
        services.certificate_bnsp_numbers_set(
            actor=certificate.holder, certificate=certificate, registration_number="x", blanko_number="y"
        )


def test_download_only_after_the_agreement_then_recorded_as_digital_handover(client, certificate, candidate):
    client.force_login(candidate)
    page = reverse("certificates:my-certificate", args=[certificate.pk])
    download = reverse("certificates:my-certificate-download", args=[certificate.pk])
    response = client.get(page)
    assert response.status_code == 200 and "9.8.1" in response.content.decode()
    assert client.get(download).url == page  # sent to the agreement first
    assert client.post(page, {"agree_use_rules": "on"}).status_code == 200  # both boxes needed
    assert not UseAgreement.objects.exists()
    response = client.post(page, {"agree_use_rules": "on", "agree_ethics": "on"}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    assert UseAgreement.objects.get().ip_address == "192.0.2.10"
    assert client.get(download).url == page  # the first download is the hand-over: the page's button, a POST
    assert not Handover.objects.exists()
    response = client.post(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Handover.objects.get().method == M.DIGITAL
    response = client.get(download)  # handed over: the address now serves the file
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.post(download)
    assert Handover.objects.count() == 1


def test_holder_sees_the_decision_with_the_appeal_deadline_9_9_2(client, certificate, candidate):
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import formats, timezone

    client.force_login(candidate)
    listing = client.get(reverse("certificates:my-list")).content.decode()
    decision = certificate.decision
    decision.refresh_from_db()
    deadline = formats.date_format(timezone.localtime(decision.appeal_deadline), "j F Y H:i")
    assert "Sertifikat diberikan" in listing and certificate.number in listing
    assert deadline in listing
    # The block for the applicant dashboard shows the same.
    request = RequestFactory().get("/")
    request.user = candidate
    block = Template("{% load certificate_tags %}{% holder_decisions_block %}").render(Context({"request": request}))
    assert deadline in block and certificate.number in block
