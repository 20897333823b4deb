"""The applicant's path: start, APL-01 steps, documents, APL-02, submit (9.1.2–9.1.4)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import attempt, form_errors_to_messages
from schemes.models import Scheme

from .. import services
from ..forms import (
    AlternativeForm,
    EvidenceUploadForm,
    PersonalForm,
    PurposeForm,
    RequirementUploadForm,
    SelfAssessmentForm,
    SubmitForm,
    WithdrawForm,
    WorkForm,
)
from ..models import Application, Document
from ..selectors import application_of_owner, application_progress, applications_of, current_documents
from ..snapshot import application_scheme, assessment_items, localized
from ..timeline import application_events, application_timeline, next_step

Section = Application.Section
applicant_only = role_required(Role.APPLICANT)

STEPS = [
    (Section.PERSONAL, "applicants:personal", _("Personal data")),
    (Section.WORK, "applicants:work", _("Current work")),
    (Section.PURPOSE, "applicants:purpose", _("Purpose and funding")),
    (Section.DOCUMENTS, "applicants:documents", _("Documents")),
    (Section.SELF_ASSESSMENT, "applicants:self-assessment", _("APL-02 self-assessment")),
    ("submit", "applicants:submit", _("Declaration and submission")),
]


def _next_url(application, section):
    keys = [key for key, _url, _label in STEPS]
    following = STEPS[keys.index(section) + 1]
    return reverse(following[1], args=[application.pk])


def _steps(application, current, scheme_data=None):
    progress = application_progress(application, scheme_data)
    return [
        {
            "key": key,
            "url": reverse(url_name, args=[application.pk]),
            "label": label,
            "done": progress.get(key, False),
            "active": key == current,
            "to_fix": application.section_open_for_revision(key),
        }
        for key, url_name, label in STEPS
    ]


def _context(application, current, **extra):
    scheme_data = application_scheme(application)
    return {
        "application": application,
        "scheme_data": scheme_data,
        "steps": _steps(application, current, scheme_data),
        "editable": application.is_section_editable(current) if current != "submit" else application.is_editable,
        **extra,
    }


@require_GET
@applicant_only
def application_list(request):
    return render(request, "applicants/application_list.html", {"applications": applications_of(request.user)})


@require_http_methods(["GET", "POST"])
@applicant_only
def start(request, slug):
    """Apply for a scheme from its catalogue page (9.1.1); an open application is resumed."""
    scheme = get_object_or_404(Scheme, slug=slug, status=Scheme.Status.ACTIVE)
    existing = applications_of(request.user).filter(scheme=scheme, status__in=Application.OPEN_STATUSES).first()
    if existing is not None:
        return redirect("applicants:detail", existing.pk)
    if request.method == "POST":
        application = attempt(request, services.application_start, actor=request.user, scheme=scheme)
        if application is not None:
            messages.success(request, _("Your application is saved as a draft. You can come back to it at any time."))
            return redirect("applicants:personal", application.pk)
    alternatives = scheme.prerequisite_alternatives.prefetch_related("conditions")
    return render(
        request,
        "applicants/start.html",
        {"scheme": scheme, "alternatives": alternatives, "units": scheme.units.all()},
    )


@require_GET
@applicant_only
def detail(request, pk):
    application = application_of_owner(request.user, pk)
    scheme_data = application_scheme(application)
    steps = application_timeline(application)
    documents = current_documents(application).select_related("requirement")
    return render(
        request,
        "applicants/detail.html",
        {
            **_context(application, None),
            "timeline": steps,
            "next": next_step(steps),
            "events": application_events(application),
            "documents": documents,
            "failed_documents": [d for d in documents if d.review == Document.Review.FAILS],
            "problems": services.submission_problems(application, scheme_data) if application.is_editable else [],
            "answers": application.answers.prefetch_related("evidence"),
            "withdraw_form": WithdrawForm(),
        },
    )


def _section_view(section, form_class, label, intro):
    @require_http_methods(["GET", "POST"])
    @applicant_only
    def view(request, pk):
        application = application_of_owner(request.user, pk)
        if not application.is_section_editable(section):
            messages.info(request, _("This part of the application cannot be changed now."))
            return redirect("applicants:detail", application.pk)
        form = form_class(request.POST or None, instance=application)
        if request.method == "POST" and form.is_valid():
            done = attempt(
                request,
                services.application_update_section,
                _("Saved."),
                actor=request.user,
                application=application,
                section=section,
                data=form.cleaned_data,
            )
            if done is not None:
                return redirect(_next_url(application, section))
        return render(
            request,
            "applicants/step_form.html",
            _context(application, section, form=form, step_label=label, step_intro=intro),
        )

    view.__name__ = f"section_{section}"
    return view


personal = _section_view(
    Section.PERSONAL,
    PersonalForm,
    _("APL-01 · Personal data"),
    _("As on your KTP. Saved to your profile, so your next application starts filled in."),
)
work = _section_view(
    Section.WORK,
    WorkForm,
    _("APL-01 · Current work"),
    _("Leave it empty if you are not working (for example, if you are a student)."),
)
purpose = _section_view(
    Section.PURPOSE,
    PurposeForm,
    _("APL-01 · Purpose of assessment and funding"),
    "",
)


def _requirement_rows(application, scheme_data):
    documents = list(application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True))
    return [
        {
            "requirement": requirement,
            "files": [d for d in documents if d.requirement_id == requirement["id"]],
            "form": RequirementUploadForm(initial={"requirement": requirement["id"]}, prefix=f"r{requirement['id']}"),
        }
        for requirement in scheme_data["required_documents"]
    ]


@require_GET
@applicant_only
def documents(request, pk):
    """Choose the prerequisite path (clause 6) and upload what it and every applicant need (9.1.2)."""
    application = application_of_owner(request.user, pk)
    scheme_data = application_scheme(application)
    alternative_form = AlternativeForm(scheme=application.scheme, initial={"alternative": application.alternative_id})
    return render(
        request,
        "applicants/step_documents.html",
        _context(
            application,
            Section.DOCUMENTS,
            alternative_form=alternative_form,
            can_choose_alternative=application.status == Application.Status.DRAFT,
            rows=_requirement_rows(application, scheme_data),
        ),
    )


@require_POST
@applicant_only
def choose_alternative(request, pk):
    application = application_of_owner(request.user, pk)
    form = AlternativeForm(request.POST, scheme=application.scheme)
    if form.is_valid():
        attempt(
            request,
            services.application_choose_alternative,
            _("Prerequisite path saved. Upload the documents it needs."),
            actor=request.user,
            application=application,
            alternative=form.cleaned_data["alternative"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("applicants:documents", application.pk)


@require_POST
@applicant_only
def upload_requirement(request, pk, requirement_id):
    application = application_of_owner(request.user, pk)
    form = RequirementUploadForm(request.POST, request.FILES, prefix=f"r{requirement_id}")
    if form.is_valid():
        attempt(
            request,
            services.document_upload,
            _("File uploaded."),
            actor=request.user,
            application=application,
            kind=Document.Kind.REQUIREMENT,
            uploaded_file=form.cleaned_data["file"],
            requirement_id=requirement_id,
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(reverse("applicants:documents", args=[application.pk]) + f"#requirement-{requirement_id}")


@require_POST
@applicant_only
def remove_document(request, pk, uuid):
    application = application_of_owner(request.user, pk)
    document = get_object_or_404(application.documents, uuid=uuid)
    attempt(request, services.document_remove, _("File removed."), actor=request.user, document=document)
    if document.kind == Document.Kind.EVIDENCE:
        return redirect("applicants:self-assessment", application.pk)
    return redirect("applicants:documents", application.pk)


def _assessment_form(application, scheme_data, data=None):
    items = []
    for item in assessment_items(scheme_data):
        subject = localized(item["element"], "title") if item["element"] else localized(item["unit"], "title")
        items.append({**item, "question": subject})
    answers = {(a.unit_code, a.element_index): a for a in application.answers.prefetch_related("evidence")}
    documents = list(current_documents(application).order_by("kind", "uploaded_at"))
    return SelfAssessmentForm(data, items=items, documents=documents, answers=answers)


@require_http_methods(["GET", "POST"])
@applicant_only
def self_assessment(request, pk):
    """APL-02 (9.1.3): K or BK for every unit (or element), with supporting evidence."""
    application = application_of_owner(request.user, pk)
    scheme_data = application_scheme(application)
    editable = application.is_section_editable(Section.SELF_ASSESSMENT)
    form = _assessment_form(application, scheme_data, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            done = attempt(
                request,
                services.application_answer_save,
                _("Self-assessment saved."),
                actor=request.user,
                application=application,
                answers=form.answers(),
            )
            if done is not None:
                return redirect("applicants:submit", application.pk)
        else:
            messages.error(request, _("Answer every question with K or BK."))
    return render(
        request,
        "applicants/step_self_assessment.html",
        _context(
            application, Section.SELF_ASSESSMENT, form=form, evidence_form=EvidenceUploadForm(), editable=editable
        ),
    )


@require_POST
@applicant_only
def upload_evidence(request, pk):
    application = application_of_owner(request.user, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            services.document_upload,
            _("Evidence uploaded. Tick it under the questions it supports."),
            actor=request.user,
            application=application,
            kind=Document.Kind.EVIDENCE,
            uploaded_file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("applicants:self-assessment", application.pk)


@require_http_methods(["GET", "POST"])
@applicant_only
def submit(request, pk):
    """Declaration (9.1.4) and consent, then submit a draft or resubmit a revision."""
    application = application_of_owner(request.user, pk)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = (
            services.application_resubmit
            if application.status == Application.Status.REVISION_REQUESTED
            else services.application_submit
        )
        done = attempt(
            request,
            service,
            _("Your application was sent to the LSP. We will email you the outcome of the review."),
            actor=request.user,
            application=application,
            declaration=form.cleaned_data["declaration"],
            consent=form.cleaned_data["consent"],
        )
        if done is not None:
            return redirect("applicants:detail", application.pk)
    scheme_data = application_scheme(application)
    return render(
        request,
        "applicants/step_submit.html",
        _context(
            application,
            "submit",
            form=form,
            problems=services.submission_problems(application, scheme_data) if application.is_editable else [],
        ),
    )


@require_POST
@applicant_only
def withdraw(request, pk):
    application = application_of_owner(request.user, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    attempt(
        request,
        services.application_withdraw,
        _("The application was withdrawn."),
        actor=request.user,
        application=application,
        reason=form.cleaned_data.get("reason", ""),
    )
    return redirect("applicants:detail", application.pk)
