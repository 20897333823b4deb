"""Reads of the decision and certificate stage, scoped to the person asking.

Staff see everything; a technical team member the meetings they sit on; a holder only
their own decisions and certificates; the public only ``PublicCertificate``. Anything
outside the user's scope is not found (404).
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import AssessmentRecord
from assessments.selectors import records_submitted
from assessments.services._common import candidate_units
from lsp.models import Role

from .models import (
    Appeal,
    Certificate,
    Decision,
    DecisionLetter,
    IssuanceRun,
    MeetingItem,
    SanctionCase,
    Surveillance,
    TechnicalMeeting,
)
from .services._common import conflict_reason, is_appeal_team, is_staff

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
    # A meeting's SK grants its "diberikan" decisions, except those an appeal changed later (they are in the
    # SK of the appeal); an appeal's SK grants the one decision the appeal changed.
    return DecisionLetter.objects.select_related("meeting", "appeal").annotate(
        granted_in_meeting=Count(
            "meeting__decisions",
            filter=Q(meeting__decisions__outcome="granted", meeting__decisions__amended_by__isnull=True),
            distinct=True,
        ),
        granted_on_appeal=Count("appeal__amended_decision", filter=Q(appeal__outcome="granted"), distinct=True),
        issued=Count("certificates", distinct=True),
    ).annotate(granted=F("granted_in_meeting") + F("granted_on_appeal"))


def letter_for_staff(user, pk):
    if not is_staff(user):
        raise Http404
    return get_object_or_404(letters_for_staff(), pk=pk)


def latest_run(letter):
    return IssuanceRun.objects.filter(letter=letter).order_by("-created_at", "-id").first()


def issued_so_far(run):
    """How many of the run's certificates are issued, for its progress page (9.4.6).

    The run's own count moves once per part of its SK (``services.issuance.ISSUANCE_CHUNK`` decisions, each part
    counted once however often it is delivered). While it runs, the SK's certificates are counted instead: each
    is committed on its own, so the page moves with every certificate."""
    if not run.is_running:
        return run.done
    return max(run.done, Certificate.objects.filter(letter_id=run.letter_id).count())


def certificates_for_staff(*, search=""):
    # Only what the list shows: the joined rows and the large JSON columns are never read there.
    queryset = Certificate.objects.only(
        "id", "number", "holder_name", "scheme_name", "issue_date", "expiry_date", "status", "issued_at"
    )
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
        Certificate.objects.select_related(
            "scheme", "letter__meeting", "letter__appeal", "holder", "application", "signatory", "replaces"
        ),
        pk=pk,
    )


# --- the holder ---------------------------------------------------------------------------------


def holder_decisions(user):
    """The user's own decisions that have been communicated (after the Berita Acara), newest first."""
    return (
        Decision.objects.filter(application__applicant=user, communicated_at__isnull=False)
        .select_related("application__scheme", "meeting", "certificate", "amended_by")
        .prefetch_related("appeals")
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


PUBLIC_FIELDS = ("holder_name", "number", "scheme_name", "scheme_name_en", "units", "issue_date", "expiry_date", "status")


@functools.cache
def _public_sql(field, *, upper=False):
    """The public columns of the row whose ``field`` equals a parameter (compared in capitals with ``upper``),
    as SQL written once per process from the model's names.

    The busiest lookup of the portal: building this query through the ORM on every request cost twice the
    query itself. The value is still passed to the database apart from the SQL."""
    quote, meta = connection.ops.quote_name, Certificate._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("id", *PUBLIC_FIELDS))
    column = quote(meta.get_field(field).column)
    condition = f"UPPER({column}) = UPPER(%s)" if upper else f"{column} = %s"
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {condition} LIMIT 1"  # noqa: S608


def _public_first(sql, value):
    """The match as a PublicCertificate: only the public columns are read (the rest of the row stays deferred
    and is never touched here)."""
    row = next(iter(Certificate.objects.raw(sql, [value])), None)
    if row is None:
        return None
    status = Certificate.status_on(row.status, row.expiry_date, timezone.localdate())
    return PublicCertificate(
        holder_name=row.holder_name,
        number=row.number,
        scheme_name=row.scheme_name,
        scheme_name_en=row.scheme_name_en,
        units=tuple((unit["code"], unit["title"], unit.get("title_en", "")) for unit in row.units),
        issue_date=row.issue_date,
        expiry_date=row.expiry_date,
        status=status.value,
        status_label=str(status.label),
    )


def normalise_number(number):
    return re.sub(r"\s+", " ", (number or "").strip())


def certificate_public_by_number(number):
    number = normalise_number(number)
    if not number:
        return None
    # UPPER(number) = UPPER(%s), which certificate_number_upper_idx serves on PostgreSQL and SQLite alike
    # (``number__iexact`` compiles to LIKE on SQLite, which no index serves). Numbers are unique and issued
    # in capitals (digits and spaces), so at most one row matches.
    return _public_first(_public_sql("number", upper=True), number)


def certificate_public_by_code(code):
    return _public_first(_public_sql("verification_code"), code)


# --- after issue: surveillance (9.6) ------------------------------------------------------------

SURVEILLANCE_LIST_DAYS = 30


def surveillances_open():
    """Open surveillances of valid certificates (a suspended, revoked, expired or replaced one is not surveyed)."""
    return Surveillance.objects.filter(
        status__in=Surveillance.OPEN_STATUSES, certificate__status=Certificate.Status.ACTIVE
    ).select_related("certificate__scheme", "certificate__holder")


def surveillance_lists(today=None):
    """For staff: overdue, due within 30 days, and those whose evidence waits for the LSP."""
    day = today or timezone.localdate()
    horizon = day + datetime.timedelta(days=SURVEILLANCE_LIST_DAYS)
    queryset = surveillances_open().order_by("due_date", "id")
    return {
        "overdue": queryset.filter(due_date__lt=day),
        "due": queryset.filter(due_date__gte=day, due_date__lte=horizon),
        "evidence": queryset.filter(status=Surveillance.Status.EVIDENCE_SUBMITTED),
    }


def surveillance_for_staff(user, pk):
    if not is_staff(user):
        raise Http404
    return get_object_or_404(
        Surveillance.objects.select_related("certificate__scheme", "certificate__holder", "recorded_by", "sanction_case"),
        pk=pk,
    )


def surveillance_for_holder(user, pk):
    return get_object_or_404(
        Surveillance.objects.select_related("certificate__scheme").filter(certificate__holder=user), pk=pk
    )


def certificate_surveillances(certificate):
    return certificate.surveillances.select_related("recorded_by", "sanction_case").prefetch_related("files").order_by(
        "due_date", "id"
    )


# --- after issue: sanctions (9.5) -----------------------------------------------------------------


def sanction_cases_for_staff(*, active_only=False):
    queryset = SanctionCase.objects.select_related("certificate", "ground").annotate(step_count=Count("steps"))
    if active_only:
        queryset = queryset.filter(status__in=SanctionCase.ACTIVE_STATUSES)
    return queryset.order_by("-opened_at", "-id")


def sanction_case_for_staff(user, pk):
    if not is_staff(user):
        raise Http404
    return get_object_or_404(
        SanctionCase.objects.select_related("certificate__scheme", "certificate__holder", "ground", "duty", "opened_by"),
        pk=pk,
    )


# --- after issue: appeals (9.9) -------------------------------------------------------------------


def appeals_for(user):
    """Staff see every appeal; a member of the appeal team only the appeals whose team they sit on."""
    queryset = Appeal.objects.select_related("application__scheme", "appellant", "decision")
    if is_staff(user):
        return queryset.order_by("-filed_at", "-id")
    if is_appeal_team(user):
        return queryset.filter(panel_members__member=user).distinct().order_by("due_date", "-filed_at", "-id")
    return queryset.none()


def appeal_for_viewer(user, pk):
    return get_object_or_404(appeals_for(user), pk=pk)


def appeals_of_appellant(user):
    return Appeal.objects.filter(appellant=user).select_related("application__scheme", "decision").order_by("-filed_at", "-id")


def appeal_of_appellant(user, pk):
    return get_object_or_404(appeals_of_appellant(user), pk=pk)


def appeal_team_summary(user):
    """The open appeals on the member's teams, soonest due first, with the working days left (9.9.6)."""
    return list(appeals_for(user).filter(status=Appeal.Status.RECEIVED).order_by("due_date", "id"))


def after_issue_counts(today=None):
    """What the staff dashboard lists for the life after issue."""
    lists = surveillance_lists(today)
    appeals = Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES)
    return {
        "appeals_to_receive": appeals.filter(status=Appeal.Status.FILED).count(),
        "appeals_open": appeals.filter(status=Appeal.Status.RECEIVED).count(),
        "appeals_overdue": appeals.filter(status=Appeal.Status.RECEIVED, due_date__lt=today or timezone.localdate()).count(),
        "appeals_granted_to_issue": Appeal.objects.filter(
            status=Appeal.Status.DECIDED, outcome=Appeal.Outcome.GRANTED, amended_decision__certificate__isnull=True
        ).count(),
        "surveillance_overdue": lists["overdue"].count(),
        "surveillance_due": lists["due"].count(),
        "surveillance_evidence": lists["evidence"].count(),
        "sanctions_open": SanctionCase.objects.filter(status__in=SanctionCase.ACTIVE_STATUSES).count(),
    }


# --- the certificate's life after issue, for its page (holder and staff) -----------------------------


def certificate_after_issue(certificate):
    """Surveillance record (9.6.4), re-certification deadline and application (9.7), and the holder's duty after a
    suspension or revocation (9.8.4)."""
    from .models import SanctionStep
    from .services.recertification import (
        recertification_application,
        recertification_deadline,
        recertification_refusal,
    )
    from .services.surveillance import current_surveillance

    return {
        "surveillances": certificate_surveillances(certificate),
        "current_surveillance": current_surveillance(certificate),
        "recertification_deadline": recertification_deadline(certificate),
        "recertification_refusal": recertification_refusal(certificate),
        "recertification_application": recertification_application(certificate),
        "recertification_override": certificate.recertification_override_or_none(),
        "return_steps": SanctionStep.objects.filter(
            case__certificate=certificate, kind__in=SanctionStep.RETURN_KINDS
        ).order_by("-created_at", "-id"),
        "replaced_by": certificate.replaced_by.order_by("-issue_date").first(),
    }


def holder_appeals(user):
    return appeals_of_appellant(user)
