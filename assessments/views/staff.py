"""Staff pages: schedules, candidates on them, assessor assignment (9.2.2), records and reopening."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lsp.audit import audit_history
from lsp.permissions import staff_required
from lsp.views.helpers import attempt, form_errors_to_messages, paginate

from .. import services
from ..forms import AddCandidateForm, AssignAssessorForm, ReasonForm, ScheduleForm
from ..models import AssessmentRecord, Assignment, Schedule
from ..selectors import (
    assessors_for_assignment,
    candidates_addable,
    schedule_assignments,
    schedules_for_staff,
)
from .common import record_context


@require_GET
@staff_required
def schedule_index(request):
    upcoming = request.GET.get("all") != "1"
    return render(
        request,
        "assessments/staff/schedule_list.html",
        {"page": paginate(request, schedules_for_staff(upcoming_only=upcoming), per_page=50), "upcoming": upcoming},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def schedule_create(request):
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        schedule = attempt(
            request, services.schedule_create, _("Schedule created."), actor=request.user, **form.cleaned_data
        )
        if schedule is not None:
            return redirect("assessments:schedule-detail", pk=schedule.pk)
    return render(request, "assessments/staff/schedule_form.html", {"form": form})


@require_GET
@staff_required
def schedule_detail(request, pk):
    schedule = get_object_or_404(Schedule.objects.select_related("scheme", "tuk"), pk=pk)
    rows = []
    for assignment in schedule_assignments(schedule):
        assign_form = None
        if schedule.is_open and assignment.status in (
            Assignment.Status.AWAITING_ASSESSOR,
            Assignment.Status.AWAITING_DECLARATION,
        ):
            assign_form = AssignAssessorForm(
                queryset=assessors_for_assignment(assignment),
                initial={"assessor": assignment.assessor_id},
                prefix=f"a{assignment.pk}",
            )
        rows.append(
            {
                "assignment": assignment,
                "assign_form": assign_form,
                "record": assignment.record_or_none(),
                "review": assignment.evidence_review_or_none(),
                "plan": assignment.plan_or_none(),
                "conflicts": [d for d in assignment.declarations.all() if d.has_conflict],
            }
        )
    addable = candidates_addable(schedule)
    return render(
        request,
        "assessments/staff/schedule_detail.html",
        {
            "schedule": schedule,
            "rows": rows,
            "add_form": AddCandidateForm(queryset=addable) if schedule.is_open else None,
            "seats_left": schedule.capacity - sum(1 for r in rows if r["assignment"].status in Assignment.OPEN_STATUSES),
            "reason_form": ReasonForm(),
            "events": audit_history(schedule)[:10],
        },
    )


@require_POST
@staff_required
def schedule_add_candidate(request, pk):
    schedule = get_object_or_404(Schedule, pk=pk)
    form = AddCandidateForm(request.POST, queryset=candidates_addable(schedule))
    if form.is_valid():
        attempt(
            request,
            services.schedule_add_candidate,
            _("Candidate added to the schedule."),
            actor=request.user,
            schedule=schedule,
            application=form.cleaned_data["application"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:schedule-detail", pk=schedule.pk)


@require_POST
@staff_required
def schedule_cancel(request, pk):
    schedule = get_object_or_404(Schedule, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.schedule_cancel,
            _("Schedule cancelled."),
            actor=request.user,
            schedule=schedule,
            reason=form.cleaned_data["reason"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:schedule-detail", pk=schedule.pk)


@require_POST
@staff_required
def assignment_assign(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("schedule__scheme", "application"), pk=pk)
    form = AssignAssessorForm(request.POST, queryset=assessors_for_assignment(assignment), prefix=f"a{assignment.pk}")
    if form.is_valid():
        attempt(
            request,
            services.assignment_assign_assessor,
            _("Assessor assigned. They are asked to declare any conflict of interest."),
            actor=request.user,
            assignment=assignment,
            assessor=form.cleaned_data["assessor"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:schedule-detail", pk=assignment.schedule_id)


@require_POST
@staff_required
def assignment_remove(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.assignment_remove,
            _("Candidate removed from the schedule."),
            actor=request.user,
            assignment=assignment,
            reason=form.cleaned_data["reason"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:schedule-detail", pk=assignment.schedule_id)


@require_GET
@staff_required
def record_detail(request, pk):
    record = get_object_or_404(AssessmentRecord.objects.select_related("assignment"), pk=pk)
    context = record_context(record)
    context.update({"reopen_form": ReasonForm(), "events": audit_history(record)})
    return render(request, "assessments/staff/record_detail.html", context)


@require_POST
@staff_required
def record_reopen(request, pk):
    record = get_object_or_404(AssessmentRecord, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.record_reopen,
            _("Record reopened; the assessor has been told."),
            actor=request.user,
            record=record,
            reason=form.cleaned_data["reason"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("assessments:record-detail", pk=record.pk)
