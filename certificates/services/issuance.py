"""The Surat Keputusan (9.4.5) and the certificates issued from it (9.4.6), one by one or in bulk.

``decision_letter_issue`` (staff, from a closed meeting's Berita Acara) → ``certificate_issue``
for each "sertifikat diberikan" decision, or ``issuance_run_start`` → task → ``issuance_run_begin``,
which splits the SK into chunks, → one task per chunk (``issuance_run_chunk``), so that every worker
process takes a share; the chunk that ends last closes the run. The run row counts each chunk once;
its progress page also counts the SK's certificates as they are issued (``selectors.issued_so_far``).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Application, Document
from applicants.snapshot import application_scheme
from lsp.audit import audit_record
from lsp.errors import DomainError, InvalidState
from lsp.notifications import notify
from lsp.numbering import counter_next

from ..models import (
    Certificate,
    CertificateSeries,
    Decision,
    DecisionLetter,
    IssuanceRun,
    Signatory,
    TechnicalMeeting,
    expiry_for,
)
from ._common import next_document_number, portal_link, require_staff
from .status import set_certificate_status
from .surveillance import surveillance_plan

logger = logging.getLogger(__name__)


def decision_letter_issue(*, actor, meeting, signatory, date=None):
    """Issue the SK from a closed meeting's Berita Acara (9.4.5): numbered, PDF built after commit."""
    with transaction.atomic():
        require_staff(actor)
        meeting = TechnicalMeeting.objects.select_for_update().get(pk=meeting.pk)
        existing = DecisionLetter.objects.filter(meeting=meeting).first()
        if existing is not None:
            return existing
        if meeting.is_open:
            raise InvalidState(_("Close the meeting with its Berita Acara first: the SK is based on it (9.4.5)."))
        if not meeting.decisions.filter(outcome=Decision.Outcome.GRANTED, amended_by__isnull=True).exists():
            raise InvalidState(_("No candidate was granted a certificate in this Berita Acara."))
        signatory = Signatory.objects.filter(pk=signatory.pk, active=True).first()
        if signatory is None:
            raise InvalidState(_("Choose an active signatory."))
        day = date or timezone.localdate()
        if day < meeting.minutes_date:
            raise InvalidState(_("The SK cannot be dated before its Berita Acara."))
        letter = DecisionLetter.objects.create(
            meeting=meeting, number=next_document_number("letter", day), date=day, signatory=signatory,
            signatory_name=signatory.name, signatory_position=signatory.position, issued_by=actor,
        )
        audit_record(
            actor=actor, action="letter.issue", obj=letter, to_state="issued",
            data={"meeting": meeting.pk, "number": letter.number, "signatory": signatory.pk},
        )
        from ..tasks import build_letter_pdf

        build_letter_pdf.delay_on_commit(letter.pk)
    return letter


def series_for(scheme):
    """The scheme's own number series, else the default one; None when the admin has set neither."""
    return (
        CertificateSeries.objects.filter(scheme=scheme).first()
        or CertificateSeries.objects.filter(scheme__isnull=True).first()
    )


def certificate_signatory():
    return Signatory.objects.filter(active=True, signs_certificates=True).order_by("order", "id").first()


def holder_photo(application):
    """The current photo of APL-01 (the 9.1.2 pas foto): an image uploaded for a requirement with a photo size."""
    return (
        Document.objects.filter(
            application=application,
            kind=Document.Kind.REQUIREMENT,
            superseded_at__isnull=True,
            content_type__startswith="image/",
        )
        .exclude(requirement__photo_size="")
        .order_by("-uploaded_at", "-id")
        .first()
    )


RENEWABLE = (Certificate.Status.ACTIVE, Certificate.Status.EXPIRED)


def _replaced_certificate(application):
    """On re-certification (9.7) the certificate the application renews is replaced: the one it was started
    from, else (purpose chosen by hand in APL-01) the holder's latest valid or expired certificate of the
    scheme, but only if the application was submitted by that certificate's deadline (9.7.1) or staff allowed
    it late: choosing the purpose by hand is no way around the deadline."""
    from .recertification import recertification_deadline

    if application.recertifies_id is not None:
        return Certificate.objects.select_for_update().get(pk=application.recertifies_id)
    if application.purpose != Application.Purpose.RECERTIFICATION:
        return None
    latest = (
        Certificate.objects.select_for_update()
        .filter(holder_id=application.applicant_id, scheme_id=application.scheme_id, status__in=RENEWABLE)
        .order_by("-issue_date", "-id")
        .first()
    )
    if latest is None or application.submitted_at is None:
        return None
    in_time = timezone.localdate(application.submitted_at) <= recertification_deadline(latest)
    return latest if in_time or latest.recertification_override_or_none() is not None else None


def letter_for_decision(decision):
    """The SK a certificate of this decision follows from (9.4.5): the meeting's, or, when an appeal granted it
    (9.9.7), the SK based on the appeal decision."""
    if decision.amended_by_id is not None:
        return DecisionLetter.objects.filter(appeal_id=decision.amended_by_id).first()
    return DecisionLetter.objects.filter(meeting_id=decision.meeting_id).first()


def certificate_issue(*, actor, decision):
    """Issue the certificate of one "sertifikat diberikan" decision in an SK (9.4.6).

    The number comes from the scheme's locked counter inside this transaction; expiry is
    the issue date plus the scheme's validity; the holder's name, photo, the scheme and its
    units (as frozen in the application) and the signatory are copied. The PDF is built by
    a task after commit. Issuing again returns the certificate unchanged.
    """
    with transaction.atomic():
        require_staff(actor)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        existing = Certificate.objects.filter(decision=decision).first()
        if existing is not None:
            return existing
        if decision.outcome != Decision.Outcome.GRANTED:
            raise InvalidState(_("A certificate is issued only on a \"sertifikat diberikan\" decision (9.4.6)."))
        letter = letter_for_decision(decision)
        if letter is None:
            raise InvalidState(_("Issue the Surat Keputusan first: certificates follow from it (9.4.5)."))
        application = Application.objects.select_related("scheme", "applicant").get(pk=decision.application_id)
        scheme = application.scheme
        series = series_for(scheme)
        if series is None:
            raise InvalidState(_("Set the certificate number format in the administration site first."))
        signatory = certificate_signatory()
        if signatory is None:
            raise InvalidState(_("Choose who signs certificates in the administration site first."))
        issue_date = letter.date
        serial = counter_next(series.counter_key(issue_date.year))
        snapshot = application_scheme(application)
        replaced = _replaced_certificate(application)
        certificate = Certificate.objects.create(
            number=series.format_number(serial=serial, year=issue_date.year),
            series=series,
            serial=serial,
            decision=decision,
            letter=letter,
            application=application,
            holder=application.applicant,
            scheme=scheme,
            holder_name=application.full_name or application.applicant.full_name,
            scheme_name=snapshot["scheme"]["name"],
            scheme_name_en=snapshot["scheme"].get("name_en", ""),
            scheme_document_number=snapshot["scheme"]["document_number"],
            units=[
                {"code": unit["code"], "title": unit["title"], "title_en": unit.get("title_en", "")}
                for unit in snapshot["units"]
            ],
            photo=holder_photo(application),
            signatory=signatory,
            signatory_name=signatory.name,
            signatory_position=signatory.position,
            signatory_position_en=signatory.position_en,
            issue_date=issue_date,
            expiry_date=expiry_for(issue_date, scheme.certificate_validity_years),
            replaces=replaced,
            issued_by=actor,
        )
        audit_record(
            actor=actor, action="certificate.issue", obj=certificate, to_state=certificate.status,
            data={"decision": decision.pk, "letter": letter.pk, "serial": serial, "replaces": getattr(replaced, "pk", None)},
        )
        surveillance_plan(certificate)
        if replaced is not None and replaced.status in RENEWABLE:
            set_certificate_status(
                replaced, Certificate.Status.SUPERSEDED, actor=actor, action="certificate.supersede",
                data={"replaced_by": certificate.pk, "number": certificate.number},
            )
        notify(
            user=application.applicant,
            template="emails/certificates_issued.txt",
            context={"certificate": certificate, "link": portal_link("certificates:my-certificate", certificate.pk)},
            key=f"certificate-issued:{certificate.pk}",
        )
        from ..tasks import build_certificate_pdf

        build_certificate_pdf.delay_on_commit(certificate.pk)
    return certificate


def issuance_run_start(*, actor, letter):
    """Start issuing every certificate of the SK in the background; a run already going is returned."""
    with transaction.atomic():
        require_staff(actor)
        letter = DecisionLetter.objects.select_for_update().get(pk=letter.pk)
        running = IssuanceRun.objects.filter(letter=letter, status__in=[IssuanceRun.Status.QUEUED, IssuanceRun.Status.RUNNING]).first()
        if running is not None:
            return running
        total = letter.granted_decisions().count()
        run = IssuanceRun.objects.create(letter=letter, total=total, started_by=actor)
        audit_record(actor=actor, action="issuance.start", obj=letter, to_state="queued", data={"run": run.pk, "total": total})
        from ..tasks import issue_certificates

        issue_certificates.delay_on_commit(run.pk)
    return run


ISSUANCE_CHUNK = 50  # decisions per task: small enough to share an SK between processes, large enough to be cheap


def _chunks(run):
    ids = list(run.letter.granted_decisions().order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + ISSUANCE_CHUNK] for start in range(0, len(ids), ISSUANCE_CHUNK)]


def issuance_run_begin(*, run_id):
    """Start the run: returns it and its decisions' ids in chunks, one task each.

    Delivered again while the run is going (a worker died after starting it), it keeps the counts and
    returns only the chunks not yet counted; a missing or finished run gets none.
    """
    with transaction.atomic():
        run = IssuanceRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == IssuanceRun.Status.FINISHED:
            return run, []
        chunks = _chunks(run)
        if run.status == IssuanceRun.Status.RUNNING:
            return run, [chunk for chunk in chunks if chunk[0] not in run.chunks_recorded]
        run.status, run.started_at, run.done, run.failed, run.errors = IssuanceRun.Status.RUNNING, timezone.now(), 0, 0, []
        run.chunks_total, run.chunks_done, run.chunks_recorded = len(chunks), 0, []
        run.save(update_fields=["status", "started_at", "done", "failed", "errors", "chunks_total", "chunks_done", "chunks_recorded"])
        if not chunks:
            _finish(run)
    return run, chunks


def issuance_run_chunk(*, run_id, decision_ids):
    """Issue one chunk of the run's certificates, each in its own transaction, then count the chunk once.

    Issuing is idempotent per decision, so a chunk delivered twice issues nothing twice; its counts are
    added under the run's row lock only if no delivery of the same chunk was counted before. The chunk
    that completes the count closes the run.
    """
    run = IssuanceRun.objects.select_related("letter", "started_by").filter(pk=run_id).first()
    if run is None or run.status != IssuanceRun.Status.RUNNING or not decision_ids or decision_ids[0] in run.chunks_recorded:
        return run
    done, failed, errors = 0, 0, []
    for decision in run.letter.granted_decisions().filter(pk__in=decision_ids):
        try:
            certificate_issue(actor=run.started_by, decision=decision)
        except DomainError as error:
            failed, errors = failed + 1, [*errors, f"{decision.application.full_name}: {error}"]
        except Exception:  # one broken candidate must not stop the SK; the error is logged
            logger.exception("certificate issue failed for decision %s", decision.pk)
            failed, errors = failed + 1, [*errors, f"{decision.application.full_name}: unexpected error"]
        else:
            done += 1
    with transaction.atomic():
        run = IssuanceRun.objects.select_for_update().get(pk=run_id)
        if run.status != IssuanceRun.Status.RUNNING or decision_ids[0] in run.chunks_recorded:
            return run
        run.done, run.failed, run.errors = run.done + done, run.failed + failed, [*run.errors, *errors]
        run.chunks_recorded = [*run.chunks_recorded, decision_ids[0]]
        run.chunks_done = len(run.chunks_recorded)
        run.save(update_fields=["done", "failed", "errors", "chunks_recorded", "chunks_done"])
        if run.chunks_done >= run.chunks_total:
            _finish(run)
    return run


def _finish(run):
    run.status, run.finished_at = IssuanceRun.Status.FINISHED, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    audit_record(
        actor=run.started_by, action="issuance.finish", obj=run.letter, from_state="running", to_state="finished",
        data={"run": run.pk, "done": run.done, "failed": run.failed},
    )


def issuance_run_execute(*, run_id):
    """The whole run in this process, chunk after chunk; safe to run again (a finished run does nothing)."""
    run, chunks = issuance_run_begin(run_id=run_id)
    for chunk in chunks:
        run = issuance_run_chunk(run_id=run_id, decision_ids=chunk)
    return run
