"""Technical team meetings: staff convene and close them; members decide on each candidate (9.4.2–9.4.4)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lsp.audit import audit_history
from lsp.models import Role
from lsp.permissions import role_required, staff_required
from lsp.views.helpers import attempt, form_errors_to_messages, paginate, private_file_response

from .. import services
from ..forms import ConflictForm, DecisionForm, LetterForm, MeetingForm
from ..selectors import (
    meeting_for_viewer,
    meeting_item_for_member,
    meeting_rows,
    meetings_for,
    record_units,
    records_awaiting_decision,
)
from ..services._common import conflict_reason, is_staff
from ._helpers import staff_or_team

team_only = role_required(Role.TECHNICAL_TEAM)


@require_GET
@staff_or_team
def meeting_list(request):
    return render(
        request,
        "certificates/staff/meeting_list.html",
        {"page": paginate(request, meetings_for(request.user), per_page=50), "awaiting": records_awaiting_decision().count() if is_staff(request.user) else None},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def meeting_create(request):
    form = MeetingForm(request.POST or None, records=records_awaiting_decision())
    if request.method == "POST" and form.is_valid():
        meeting = attempt(
            request, services.meeting_convene, _("Meeting convened. The members have been told."), actor=request.user,
            date=form.cleaned_data["date"], place=form.cleaned_data["place"], chair=form.cleaned_data["chair"],
            members=list(form.cleaned_data["members"]), records=list(form.cleaned_data["records"]),
            notes=form.cleaned_data["notes"],
        )
        if meeting is not None:
            return redirect("certificates:meeting-detail", pk=meeting.pk)
    return render(request, "certificates/staff/meeting_form.html", {"form": form})


@require_GET
@staff_or_team
def meeting_detail(request, pk):
    meeting = meeting_for_viewer(request.user, pk)
    user = request.user
    return render(
        request,
        "certificates/staff/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": meeting_rows(meeting, user),
            "members": meeting.members.order_by("full_name"),
            "is_member": meeting.members.filter(pk=user.pk).exists() and user.has_role(Role.TECHNICAL_TEAM),
            "may_close": meeting.is_open and (is_staff(user) or meeting.chair_id == user.pk),
            "is_staff": is_staff(user),
            "letter": meeting.letter_or_none(),
            "letter_form": LetterForm() if is_staff(user) and not meeting.is_open else None,
            "events": audit_history(meeting)[:10] if is_staff(user) else [],
        },
    )


@require_http_methods(["GET", "POST"])
@team_only
def decide(request, pk, record_pk):
    """The member verifies the recommendation and the evidence record and decides (9.4.4)."""
    meeting, item = meeting_item_for_member(request.user, pk, record_pk)
    if not meeting.members.filter(pk=request.user.pk).exists():
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            decision = attempt(
                request, services.decision_record, _("Decision recorded."), actor=request.user, meeting=meeting,
                record=item.record, **form.cleaned_data,
            )
            if decision is not None:
                return redirect("certificates:meeting-detail", pk=meeting.pk)
        else:
            form_errors_to_messages(request, form)
    record = item.record
    return render(
        request,
        "certificates/staff/decide.html",
        {
            "meeting": meeting,
            "item": item,
            "record": record,
            "application": record.application,
            "units": record_units(record),
            "decision": item.decision_or_none(),
            "conflict": conflict_reason(request.user, record.application),
            "form": form,
            "conflict_form": ConflictForm(),
        },
    )


@require_POST
@team_only
def declare_conflict(request, pk, record_pk):
    meeting, item = meeting_item_for_member(request.user, pk, record_pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.member_conflict_declare, _("Conflict of interest declared: you will not decide on this candidate."),
            actor=request.user, meeting=meeting, record=item.record, **form.cleaned_data,
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:meeting-detail", pk=meeting.pk)


@require_POST
@staff_or_team
def meeting_close(request, pk):
    meeting = meeting_for_viewer(request.user, pk)
    attempt(
        request, services.meeting_close, _("Meeting closed with its Berita Acara. The candidates have been told."),
        actor=request.user, meeting=meeting,
    )
    return redirect("certificates:meeting-detail", pk=meeting.pk)


@require_GET
@staff_or_team
def minutes_pdf(request, pk):
    meeting = meeting_for_viewer(request.user, pk)
    return private_file_response(meeting.minutes_pdf, filename=f"berita-acara-{meeting.pk}.pdf")
