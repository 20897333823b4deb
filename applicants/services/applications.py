"""The applicant's side of 9.1: start, fill APL-01 and APL-02, submit, resubmit, withdraw."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState, NotAllowed
from lsp.models import Role
from lsp.notifications import notify
from lsp.numbering import counter_next
from schemes.models import PrerequisiteAlternative, Scheme

from ..models import ApplicantProfile, Application, Document, SelfAssessmentAnswer
from ..snapshot import application_scheme, assessment_items, snapshot_build
from ..validation import nik_problems
from ._common import lock_application, portal_link, require_editable, require_owner

S = Application.Status
SECTION_FIELDS = {
    Application.Section.PERSONAL: Application.PERSONAL_FIELDS,
    Application.Section.WORK: Application.WORK_FIELDS,
    Application.Section.PURPOSE: ("purpose", "purpose_other", "funding", "funding_detail"),
}


def _profile_for(user):
    profile, created = ApplicantProfile.objects.get_or_create(
        user=user, defaults={"full_name": user.full_name, "email": user.email}
    )
    return profile


def application_start(*, actor, scheme):
    """Open a draft for ``scheme``, filled in from the applicant's profile.

    Only an active scheme; one open application per applicant and scheme: asking again
    returns the open one.
    """
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.APPLICANT):
        raise NotAllowed(_("Only applicants can apply for certification."))
    with transaction.atomic():
        scheme = Scheme.objects.get(pk=scheme.pk)
        existing = Application.objects.filter(
            applicant=actor, scheme=scheme, status__in=Application.OPEN_STATUSES
        ).first()
        if existing is not None:
            return existing
        if scheme.status != Scheme.Status.ACTIVE:
            raise InvalidState(_("This scheme is not open for applications."))
        profile = _profile_for(actor)
        application = Application(applicant=actor, scheme=scheme, **profile.personal_data())
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            # Two clicks at once: the other request created it.
            return Application.objects.get(applicant=actor, scheme=scheme, status__in=Application.OPEN_STATUSES)
        audit_record(actor=actor, action="application.start", obj=application, to_state=S.DRAFT)
    return application


def application_start_recertification(*, actor, scheme, certificate):
    """Open a re-certification draft (9.7.2): like ``application_start`` (APL-01 filled in from the profile),
    with the purpose "Sertifikasi Ulang" set and the certificate it renews linked.

    The certificates app calls this from ``recertification_start``, which checks the certificate and the
    deadline (9.7.1) under its lock. Asking again returns the open draft of that certificate.
    """
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.APPLICANT):
        raise NotAllowed(_("Only applicants can apply for certification."))
    with transaction.atomic():
        scheme = Scheme.objects.get(pk=scheme.pk)
        existing = Application.objects.filter(
            applicant=actor, scheme=scheme, status__in=Application.OPEN_STATUSES
        ).first()
        if existing is not None:
            if existing.recertifies_id == certificate.pk:
                return existing
            raise InvalidState(_("You already have an open application for this scheme."))
        if scheme.status != Scheme.Status.ACTIVE:
            raise InvalidState(_("This scheme is not open for applications."))
        profile = _profile_for(actor)
        application = Application(
            applicant=actor,
            scheme=scheme,
            purpose=Application.Purpose.RECERTIFICATION,
            recertifies=certificate,
            **profile.personal_data(),
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise InvalidState(_("You already have an open application for this scheme.")) from None
        audit_record(
            actor=actor,
            action="application.start",
            obj=application,
            to_state=S.DRAFT,
            data={"purpose": application.purpose, "recertifies": certificate.pk},
        )
    return application


def _profile_update_from(application):
    profile = _profile_for(application.applicant)
    for name, value in application.personal_data().items():
        setattr(profile, name, value)
    profile.save()


def application_update_section(*, actor, application, section, data):
    """Save one APL-01 step (personal data, current work, purpose and funding) of a draft or revision."""
    if section not in SECTION_FIELDS:
        raise InvalidState(_("Unknown part of the application."))
    with transaction.atomic():
        application = lock_application(application)
        require_editable(actor, application, section)
        names = [name for name in SECTION_FIELDS[section] if name in data]
        for name in names:
            setattr(application, name, data[name])
        if section == Application.Section.PURPOSE and application.recertifies_id is not None:
            # Started from a certificate (9.7): it stays a re-certification.
            application.purpose = Application.Purpose.RECERTIFICATION
        if section == Application.Section.PURPOSE and application.purpose != Application.Purpose.OTHER:
            application.purpose_other = ""
            names.append("purpose_other")
        other = [field.name for field in Application._meta.concrete_fields if field.name not in names]
        try:
            application.clean_fields(exclude=other)
        except ValidationError as error:
            raise InvalidState(" ".join(error.messages)) from error
        application.save(update_fields=[*set(names), "updated_at"])
        if section in (Application.Section.PERSONAL, Application.Section.WORK):
            _profile_update_from(application)
        audit_record(actor=actor, action="application.edit", obj=application, data={"section": str(section)})
    return application


def application_choose_alternative(*, actor, application, alternative):
    """Choose the prerequisite path (clause 6) the applicant meets; fixed once submitted."""
    with transaction.atomic():
        application = lock_application(application)
        require_owner(actor, application)
        if application.alternative_id == getattr(alternative, "pk", None):
            return application
        if application.status != S.DRAFT:
            raise InvalidState(_("The prerequisite path cannot be changed after the application was submitted."))
        if not PrerequisiteAlternative.objects.filter(pk=alternative.pk, scheme_id=application.scheme_id).exists():
            raise InvalidState(_("This prerequisite path does not belong to the scheme."))
        previous = application.alternative
        application.alternative = alternative
        application.save(update_fields=["alternative", "updated_at"])
        audit_record(
            actor=actor,
            action="application.choose_alternative",
            obj=application,
            from_state=previous.code if previous else "",
            to_state=alternative.code,
        )
    return application


def application_answer_save(*, actor, application, answers):
    """Save APL-02: ``answers`` maps (unit code, element index) to ("K"|"BK", [evidence Document]).

    Questions not in ``answers`` keep what they had; evidence must be the application's own files.
    """
    with transaction.atomic():
        application = lock_application(application)
        require_editable(actor, application, Application.Section.SELF_ASSESSMENT)
        items = {item["key"]: item for item in assessment_items(application_scheme(application))}
        own = set(
            application.documents.filter(superseded_at__isnull=True)
            .exclude(kind=Document.Kind.PAYMENT_PROOF)
            .values_list("pk", flat=True)
        )
        for key, (answer, evidence) in answers.items():
            item = items.get(key)
            if item is None:
                raise InvalidState(_("This unit is not part of the scheme."))
            if answer not in SelfAssessmentAnswer.Answer.values:
                raise InvalidState(_("Answer each question with K or BK."))
            if any(document.pk not in own for document in evidence):
                raise NotAllowed(_("Evidence must be one of your own uploaded files."))
            row, _created = SelfAssessmentAnswer.objects.update_or_create(
                application=application,
                unit_code=key[0],
                element_index=key[1],
                defaults={
                    "unit_title": item["unit"]["title"],
                    "element_title": item["element"]["title"] if item["element"] else "",
                    "answer": answer,
                    "answered_at": timezone.now(),
                },
            )
            row.evidence.set(evidence)
        application.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="application.self_assess", obj=application, data={"answers": len(answers)})
    return application


# --- submission -------------------------------------------------------------------------------


def submission_problems(application, scheme_data=None):
    """Everything that keeps the application from being submitted, as messages for the applicant."""
    scheme_data = scheme_data or application_scheme(application)
    problems = []
    missing = [
        str(Application._meta.get_field(name).verbose_name)
        for name in Application.PERSONAL_REQUIRED
        if getattr(application, name) in (None, "")
    ]
    if missing:
        problems.append(_("APL-01 personal data is incomplete: %(fields)s.") % {"fields": ", ".join(missing)})
    problems.extend(nik_problems(application.nik, application.birth_date, application.sex))
    if not application.purpose or not application.funding:
        problems.append(_("Choose the purpose of assessment and the funding source."))
    elif application.purpose == Application.Purpose.OTHER and not application.purpose_other:
        problems.append(_("Describe the other purpose of assessment."))
    if application.alternative_id is None:
        problems.append(_("Choose the prerequisite path you meet (clause 6)."))
    else:
        current = application.documents.filter(kind=Document.Kind.REQUIREMENT, superseded_at__isnull=True)
        present = set(current.values_list("requirement_id", flat=True))
        failed = set(current.filter(review=Document.Review.FAILS).values_list("requirement_id", flat=True))
        for requirement in scheme_data["required_documents"]:
            label = f"{requirement['clause']} {requirement['name']}"
            if requirement["id"] not in present:
                problems.append(_("Upload the required document %(document)s (9.1.2).") % {"document": label})
            elif requirement["id"] in failed:
                problems.append(
                    _("Replace the document %(document)s that does not meet the requirement.") % {"document": label}
                )
    answered = set(application.answers.values_list("unit_code", "element_index"))
    unanswered = [item for item in assessment_items(scheme_data) if item["key"] not in answered]
    if unanswered:
        problems.append(
            _("Answer every question of the APL-02 self-assessment (%(count)s left).") % {"count": len(unanswered)}
        )
    return problems


def _check_declaration(declaration, consent):
    if not declaration:
        raise InvalidState(_("Confirm that the data is true and that you agree to the certification requirements."))
    if not consent:
        raise InvalidState(_("Give your consent to the processing of your personal data."))


def _raise_problems(problems):
    if problems:
        raise InvalidState(" ".join(str(problem) for problem in problems))


def _after_submit(application, template):
    from ..tasks import build_application_pdfs

    build_application_pdfs.delay_on_commit(application.pk)
    notify(
        user=application.applicant,
        template=template,
        context={"application": application, "link": portal_link("applicants:detail", application.pk)},
    )


def application_submit(*, actor, application, declaration, consent):
    """Submit a draft (9.1.2–9.1.4); keep the scheme as it is now. Opposite: none (see withdraw)."""
    with transaction.atomic():
        application = lock_application(application)
        require_owner(actor, application)
        if application.status == S.SUBMITTED:
            return application
        if application.status != S.DRAFT:
            raise InvalidState(_("Only a draft can be submitted."))
        scheme = Scheme.objects.get(pk=application.scheme_id)
        if scheme.status != Scheme.Status.ACTIVE:
            raise InvalidState(_("This scheme is not open for applications."))
        _check_declaration(declaration, consent)
        snapshot = snapshot_build(scheme=scheme, alternative=application.alternative)
        _raise_problems(submission_problems(application, snapshot))
        now = timezone.now()
        year = timezone.localdate().year
        application.reference = f"REG/{year}/{counter_next(f'application-{year}'):06d}"
        application.snapshot = snapshot
        application.fee = scheme.fee
        application.status = S.SUBMITTED
        application.submitted_at = application.last_submitted_at = now
        application.declared_at = application.consented_at = now
        application.save()
        # The answers read as the scheme read when submitted.
        for item in assessment_items(snapshot):
            application.answers.filter(unit_code=item["key"][0], element_index=item["key"][1]).update(
                unit_title=item["unit"]["title"], element_title=item["element"]["title"] if item["element"] else ""
            )
        audit_record(
            actor=actor, action="application.submit", obj=application, from_state=S.DRAFT, to_state=S.SUBMITTED
        )
        _after_submit(application, "emails/application_submitted.txt")
    return application


def application_resubmit(*, actor, application, declaration, consent):
    """Send a revised application back to the LSP. Opposite of ``application_request_revision``."""
    with transaction.atomic():
        application = lock_application(application)
        require_owner(actor, application)
        if application.status == S.SUBMITTED:
            return application
        if application.status != S.REVISION_REQUESTED:
            raise InvalidState(_("Only an application sent back for revision can be resubmitted."))
        _check_declaration(declaration, consent)
        _raise_problems(submission_problems(application))
        now = timezone.now()
        application.status = S.SUBMITTED
        application.last_submitted_at = application.declared_at = application.consented_at = now
        application.revision_sections = []
        application.revision_due = None
        application.save()
        audit_record(
            actor=actor,
            action="application.resubmit",
            obj=application,
            from_state=S.REVISION_REQUESTED,
            to_state=S.SUBMITTED,
        )
        _after_submit(application, "emails/application_resubmitted.txt")
    return application


def application_withdraw(*, actor, application, reason=""):
    """The applicant withdraws an application that is not decided yet; the record stays."""
    with transaction.atomic():
        application = lock_application(application)
        require_owner(actor, application)
        if application.status == S.WITHDRAWN:
            return application
        if application.status not in (S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED):
            raise InvalidState(_("A decided application cannot be withdrawn."))
        previous = application.status
        application.status = S.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="application.withdraw",
            obj=application,
            from_state=previous,
            to_state=S.WITHDRAWN,
            reason=reason,
        )
    return application
