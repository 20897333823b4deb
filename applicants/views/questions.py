"""Questions to the LSP (7.1.2): applicants ask about a scheme or their application; staff answer."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import attempt, paginate
from schemes.models import Scheme

from .. import services
from ..forms import QuestionForm, ReplyForm
from ..models import Question
from ..permissions import is_lsp_staff
from ..selectors import applications_of, question_for_viewer, questions_for

applicant_or_staff = role_required(Role.APPLICANT, Role.STAFF, Role.ADMIN)


def _question_form(request, data=None):
    return QuestionForm(
        data,
        applications=list(applications_of(request.user)),
        schemes=list(Scheme.objects.filter(status=Scheme.Status.ACTIVE)),
        initial={"about": request.GET.get("about", "")},
    )


@require_http_methods(["GET", "POST"])
@applicant_or_staff
def question_list(request):
    staff = is_lsp_staff(request.user)
    can_ask = request.user.has_role(Role.APPLICANT)
    form = _question_form(request, request.POST if request.method == "POST" else None) if can_ask else None
    if request.method == "POST" and form is not None and form.is_valid():
        scheme, application = form.target()
        question = attempt(
            request,
            services.question_ask,
            _("Your question was sent to the LSP. You will get an email when it is answered."),
            actor=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            scheme=scheme,
            application=application,
        )
        if question is not None:
            return redirect("applicants:question", question.pk)
    questions = questions_for(request.user)
    waiting = request.GET.get("status") == Question.Status.AWAITING_LSP
    if waiting:
        questions = questions.filter(status=Question.Status.AWAITING_LSP)
    return render(
        request,
        "applicants/questions.html",
        {"page": paginate(request, questions), "form": form, "staff": staff, "waiting": waiting},
    )


@require_http_methods(["GET", "POST"])
@applicant_or_staff
def question_thread(request, pk):
    question = question_for_viewer(request.user, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            services.question_reply,
            _("Message sent."),
            actor=request.user,
            question=question,
            body=form.cleaned_data["body"],
        )
        if done is not None:
            return redirect("applicants:question", question.pk)
    return render(
        request,
        "applicants/question.html",
        {
            "question": question,
            "messages_list": question.messages.all(),
            "form": form,
            "staff": is_lsp_staff(request.user),
        },
    )
