"""The applicant's right to ask (7.1.2): a thread both sides see, with an email at each message."""

import pytest
from django.core import mail
from django.urls import reverse

from applicants import services
from applicants.models import Question
from lsp.errors import InvalidState, NotAllowed
from lsp.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def test_ask_and_answer_email_both_sides_7_1_2(applicant, staff, tmi, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            actor=applicant, subject="Biaya", body="Apakah biaya termasuk sertifikat?", scheme=tmi
        )
    assert question.status == Question.Status.AWAITING_LSP
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "Apakah biaya termasuk sertifikat?" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_reply(actor=staff, question=question, body="Ya, termasuk.")
    assert question.status == Question.Status.ANSWERED
    assert mail.outbox[-1].to == ["ani@example.test"]
    assert "Ya, termasuk." in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_reply(actor=applicant, question=question, body="Terima kasih, satu lagi…")
    assert question.status == Question.Status.AWAITING_LSP
    assert mail.outbox[-1].to == [staff.email]
    assert list(
        AuditEvent.objects.filter(object_id=str(question.pk), action__startswith="question.").values_list(
            "action", flat=True
        )
    ) == ["question.follow_up", "question.answer", "question.ask"]


def test_only_applicants_ask_and_only_about_their_own_application(staff, applicant, other_applicant, submitted):
    with pytest.raises(NotAllowed):
        services.question_ask(actor=staff, subject="x", body="y")
    with pytest.raises(NotAllowed):
        services.question_ask(actor=other_applicant, subject="x", body="y", application=submitted)
    with pytest.raises(InvalidState):
        services.question_ask(actor=applicant, subject="", body="y")


def test_another_applicant_can_neither_see_nor_join_the_thread(client, applicant, other_applicant, make_user):
    question = services.question_ask(actor=applicant, subject="Rahasia", body="NIK saya …")
    with pytest.raises(NotAllowed):
        services.question_reply(actor=other_applicant, question=question, body="halo")
    with pytest.raises(NotAllowed):
        services.question_reply(actor=make_user(Role.ASSESSOR), question=question, body="halo")
    client.force_login(other_applicant)
    assert client.get(reverse("applicants:question", args=[question.pk])).status_code == 404
    assert "Rahasia" not in client.get(reverse("applicants:questions")).content.decode()


def test_the_pages_ask_and_answer(client, applicant, staff, tmi):
    client.force_login(applicant)
    response = client.post(
        reverse("applicants:questions"), {"about": f"scheme:{tmi.pk}", "subject": "Jadwal", "body": "Kapan uji?"}
    )
    question = Question.objects.get()
    assert response["Location"] == reverse("applicants:question", args=[question.pk])
    assert question.scheme == tmi
    client.force_login(staff)
    assert "Jadwal" in client.get(reverse("applicants:questions") + "?status=awaiting_lsp").content.decode()
    client.post(reverse("applicants:question", args=[question.pk]), {"body": "Bulan depan."})
    client.force_login(applicant)
    page = client.get(reverse("applicants:question", args=[question.pk])).content.decode()
    assert "Kapan uji?" in page and "Bulan depan." in page
