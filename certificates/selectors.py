"""Reads of the decision and certificate stage, scoped to the person asking.

Staff see everything; a technical team member the meetings they sit on; a holder only
their own decisions and certificates; the public only ``PublicCertificate``. Anything
outside the user's scope is not found (404).
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import AssessmentRecord
from assessments.selectors import records_submitted
from assessments.services._common import candidate_units
from lsp.models import Role

from .models import Certificate, Decision, DecisionLetter, IssuanceRun, MeetingItem, TechnicalMeeting
from .services._common import conflict_reason, is_staff

# --- technical team meetings ------------------------------------------------------------------


def records_awaiting_decision():
    """Submitted recommendations with no decision and not before an open meeting (for convening, 9.4.4)."""
    return (
        records_submitted()
        .exclude(Exists(Decision.objects.filter(record=OuterRef("pk"))))
        .exclude(Exists(MeetingItem.objects.filter(record=OuterRef("pk"), meeting__status=TechnicalMeeting.Status.OPEN)))
    )


def meetings_for(user):
    queryset = TechnicalMeeting.objects.select_related("chair").annotate(
        item_count=Count("items", distinct=True), decision_count=Count("decisions", distinct=True)
    )
    if is_staff(user):
        return queryset.order_by("-date", "-id")
    if user.has_role(Role.TECHNICAL_TEAM):
        return queryset.filter(members=user).order_by("-date", "-id")
    return queryset.none()


def meeting_for_viewer(user, pk):
    return get_object_or_404(meetings_for(user), pk=pk)


@dataclass
class MeetingRow:
    item: MeetingItem
    record: AssessmentRecord
    application: object
    decision: Decision | None
    conflict: str | None  # why the viewing user may not decide on this candidate
    recused: list  # members who may not decide on this candidate


def meeting_rows(meeting, user):
    members = list(meeting.members.all())
    decisions = {d.record_id: d for d in meeting.decisions.select_related("decided_by")}
    rows = []
    items = meeting.items.select_related("record__application__scheme", "record__assessor__user").order_by("position")
    for item in items:
        application = item.record.application
        rows.append(
            MeetingRow(
                item=item,
                record=item.record,
                application=application,
                decision=decisions.get(item.record_id),
                conflict=conflict_reason(user, application),
                recused=[m for m in members if conflict_reason(m, application)],
            )
        )
    return rows


def meeting_item_for_member(user, meeting_pk, record_pk):
    """The item of a meeting the user sits on (or staff), or 404."""
    meeting = meeting_for_viewer(user, meeting_pk)
    item = get_object_or_404(
        MeetingItem.objects.select_related(
            "record__application__scheme", "record__assessor__user", "record__assignment__schedule__tuk"
        ),
        meeting=meeting,
        record_id=record_pk,
    )
    return meeting, item


def record_units(record):
    """The candidate's units with the assessor's result of each (for verifying the record, 9.4.4)."""
    results = {result.unit_code: result for result in record.units.prefetch_related("elements", "evidence")}
    return [{**unit, "result": results.get(unit["code"])} for unit in candidate_units(record.application)]


def technical_team_summary(user):
    """The open meetings the member sits on, with how many candidates still wait for a decision."""
    return [
        {"meeting": meeting, "waiting": meeting.item_count - meeting.decision_count}
        for meeting in meetings_for(user).filter(status=TechnicalMeeting.Status.OPEN, members=user)
    ]


# --- SK and certificates, for staff ------------------------------------------------------------


def letters_for_staff():
    return DecisionLetter.objects.select_related("meeting").annotate(
        granted=Count("meeting__decisions", filter=Q(meeting__decisions__outcome="granted"), distinct=True),
        issued=Count("certificates", distinct=True),
    )


def letter_for_staff(user, pk):
    if not is_staff(user):
        raise Http404
    return get_object_or_404(letters_for_staff(), pk=pk)


def latest_run(letter):
    return IssuanceRun.objects.filter(letter=letter).order_by("-created_at", "-id").first()


def certificates_for_staff(*, search=""):
    queryset = Certificate.objects.select_related("scheme", "letter", "holder")
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search) | Q(holder_name__icontains=search) | Q(blanko_number=search)
            | Q(bnsp_registration_number=search)
        )
    return queryset.order_by("-issued_at", "-id")


def certificate_for_staff(user, pk):
    if not is_staff(user):
        raise Http404
    return get_object_or_404(
        Certificate.objects.select_related("scheme", "letter__meeting", "holder", "application", "signatory"), pk=pk
    )


# --- the holder ---------------------------------------------------------------------------------


def holder_decisions(user):
    """The user's own decisions that have been communicated (after the Berita Acara), newest first."""
    return (
        Decision.objects.filter(application__applicant=user, communicated_at__isnull=False)
        .select_related("application__scheme", "meeting", "certificate")
        .order_by("-communicated_at", "-id")
    )


def holder_certificates(user):
    return Certificate.objects.filter(holder=user).select_related("scheme").order_by("-issue_date", "-id")


def holder_certificate(user, pk):
    return get_object_or_404(holder_certificates(user).select_related("application"), pk=pk)


# --- the public ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCertificate:
    """All the verification page may show: nothing else personal (no NIK, birth date, address, phone, email)."""

    holder_name: str
    number: str
    scheme_name: str
    scheme_name_en: str
    units: tuple
    issue_date: object
    expiry_date: object
    status: str
    status_label: str

    @property
    def is_valid(self):
        return self.status == Certificate.Status.ACTIVE


def _public(certificate):
    if certificate is None:
        return None
    status = certificate.public_status(timezone.localdate())
    return PublicCertificate(
        holder_name=certificate.holder_name,
        number=certificate.number,
        scheme_name=certificate.scheme_name,
        scheme_name_en=certificate.scheme_name_en,
        units=tuple((unit["code"], unit["title"], unit.get("title_en", "")) for unit in certificate.units),
        issue_date=certificate.issue_date,
        expiry_date=certificate.expiry_date,
        status=status.value,
        status_label=str(status.label),
    )


def normalise_number(number):
    return re.sub(r"\s+", " ", (number or "").strip())


def certificate_public_by_number(number):
    number = normalise_number(number)
    if not number:
        return None
    found = Certificate.objects.filter(number__iexact=number).only(
        "holder_name", "number", "scheme_name", "scheme_name_en", "units", "issue_date", "expiry_date", "status"
    ).first()
    return _public(found)


def certificate_public_by_code(code):
    found = Certificate.objects.filter(verification_code=code).only(
        "holder_name", "number", "scheme_name", "scheme_name_en", "units", "issue_date", "expiry_date", "status"
    ).first()
    return _public(found)
