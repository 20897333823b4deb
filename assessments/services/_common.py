"""Helpers shared by the assessment services: locks, actor checks, the units of a candidate, links."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from applicants.snapshot import application_scheme
from lsp.errors import InvalidState, NotAllowed
from lsp.models import Role, User

from ..models import Assignment

STAFF_ROLES = (Role.STAFF, Role.ADMIN)


def is_staff(user):
    return bool(user is not None and user.is_authenticated and user.has_role(*STAFF_ROLES))


def require_staff(actor):
    if not is_staff(actor):
        raise NotAllowed(_("Only LSP staff may do this."))


def lock_assignment(assignment):
    """Re-read the assignment under a row lock: every step of one candidate's assessment goes through it.

    Nothing is joined here: PostgreSQL refuses FOR UPDATE over the nullable side of a join
    (the assessor); relations are read afterwards.
    """
    pk = assignment.pk if isinstance(assignment, Assignment) else assignment
    return Assignment.objects.select_for_update().get(pk=pk)


def require_assigned_assessor(actor, assignment):
    """Only the assessor assigned to this candidate (and no one else) works on the file."""
    assessor = assignment.assessor
    if assessor is None or actor is None or not actor.is_authenticated or assessor.user_id != actor.pk:
        raise NotAllowed(_("Only the assessor assigned to this candidate may do this."))


def require_declared(assignment):
    """The assessor sees and works on the file only after declaring no conflict of interest."""
    if assignment.status == Assignment.Status.AWAITING_DECLARATION:
        raise InvalidState(_("Declare first whether you have a conflict of interest with this candidate."))
    if assignment.status != Assignment.Status.ACTIVE:
        raise InvalidState(_("This candidate is no longer assigned to you."))


def require_candidate(actor, assignment):
    if actor is None or not actor.is_authenticated or assignment.application.applicant_id != actor.pk:
        raise NotAllowed(_("Only the candidate may do this."))


def require_ready_application(application):
    """Accepted (9.1.6) and paid or sponsored (8): only then may the candidate be tested."""
    if application.status != Application.Status.ACCEPTED:
        raise InvalidState(_("The application is not accepted, so the candidate cannot be assessed."))
    if not application.is_payment_settled:
        raise InvalidState(_("The certification fee is not paid yet, so the candidate cannot be assessed."))


def candidate_units(application):
    """The units the candidate is assessed on, as frozen in the application (with elements where entered)."""
    units = application_scheme(application)["units"]
    return [{**unit, "position": position} for position, unit in enumerate(units, 1)]


def portal_link(url_name, *args):
    """An address for emails: PORTAL_URL (e.g. https://lsp.example.id) plus the path, if it is set."""
    return getattr(settings, "PORTAL_URL", "").rstrip("/") + reverse(url_name, args=args)


def staff_recipients():
    return User.objects.filter(roles__role=Role.STAFF, is_active=True).distinct()


def clean_text(value):
    return (value or "").strip()
