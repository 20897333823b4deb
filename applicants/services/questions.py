"""Questions to the LSP (7.1.2: "hak bertanya"): the applicant asks, staff answer, both are emailed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.models import Role
from lsp.notifications import notify

from ..models import Question, QuestionMessage
from ..permissions import is_lsp_staff
from ._common import lsp_staff_users, portal_link

Q = Question.Status


def _notify_staff(question, message):
    for user in lsp_staff_users().exclude(pk=message.author_id):
        notify(
            user=user,
            template="emails/question_to_lsp.txt",
            context={"question": question, "message": message, "link": portal_link("applicants:question", question.pk)},
        )


def question_ask(*, actor, subject, body, scheme=None, application=None):
    """Open a thread about a scheme or one of the applicant's own applications."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.APPLICANT):
        raise NotAllowed(_("Only applicants can ask the LSP a question here."))
    if application is not None and application.applicant_id != actor.pk:
        raise NotAllowed(_("You can only ask about your own application."))
    if not subject or not body:
        raise InvalidState(_("Write a subject and your question."))
    with transaction.atomic():
        question = Question.objects.create(
            applicant=actor,
            scheme=scheme or (application.scheme if application else None),
            application=application,
            subject=subject[:200],
        )
        message = QuestionMessage.objects.create(question=question, author=actor, body=body)
        audit_record(actor=actor, action="question.ask", obj=question, to_state=Q.AWAITING_LSP)
        _notify_staff(question, message)
    return question


def question_reply(*, actor, question, body):
    """Add a message: from staff it answers the question; from the applicant it asks again."""
    body = (body or "").strip()
    if not body:
        raise InvalidState(_("Write a message."))
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if actor is not None and actor.is_authenticated and question.applicant_id == actor.pk:
            from_lsp, new_status = False, Q.AWAITING_LSP
        elif is_lsp_staff(actor):
            from_lsp, new_status = True, Q.ANSWERED
        else:
            raise NotAllowed(_("You cannot take part in this conversation."))
        message = QuestionMessage.objects.create(question=question, author=actor, body=body, from_lsp=from_lsp)
        previous = question.status
        question.status, question.updated_at = new_status, timezone.now()
        question.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="question.answer" if from_lsp else "question.follow_up",
            obj=question,
            from_state=previous,
            to_state=new_status,
        )
        if from_lsp:
            notify(
                user=question.applicant,
                template="emails/question_answered.txt",
                context={
                    "question": question,
                    "message": message,
                    "link": portal_link("applicants:question", question.pk),
                },
            )
        else:
            _notify_staff(question, message)
    return question
