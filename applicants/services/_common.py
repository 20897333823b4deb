"""Helpers shared by the application services: locking, actor checks, links in emails."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lsp.errors import InvalidState, NotAllowed
from lsp.models import Role, User

from ..models import Application
from ..permissions import is_lsp_staff

# How long an applicant gets to fix a revision, and to pay, unless staff set another date.
# The seed schemes give no such periods; these are the LSP's working defaults.
REVISION_DUE_WORKING_DAYS = 5
PAYMENT_DUE_WORKING_DAYS = 10


def lock_application(application):
    """Re-read the application under a row lock; every transition works on this copy."""
    return Application.objects.select_for_update().get(pk=application.pk)


def require_owner(actor, application):
    if actor is None or not actor.is_authenticated or application.applicant_id != actor.pk:
        raise NotAllowed(_("Only the applicant can change this application."))


def require_staff(actor, application=None):
    if not is_lsp_staff(actor):
        raise NotAllowed(_("Only LSP staff can do this."))
    # Impartiality: nobody reviews or settles their own application.
    if application is not None and application.applicant_id == actor.pk:
        raise NotAllowed(_("You cannot review your own application."))


def require_editable(actor, application, section):
    """The owner may change a draft, or the parts of an application sent back for revision."""
    require_owner(actor, application)
    if application.status == Application.Status.DRAFT:
        return
    if application.status == Application.Status.REVISION_REQUESTED:
        if section in (application.revision_sections or []):
            return
        raise InvalidState(_("This part of the application was not asked to be revised."))
    raise InvalidState(_("The application has been submitted and can no longer be changed."))


def portal_link(url_name, *args):
    """An address for emails: PORTAL_URL (e.g. https://lsp.example.id) plus the path, if it is set."""
    return getattr(settings, "PORTAL_URL", "").rstrip("/") + reverse(url_name, args=args)


def lsp_staff_users():
    return User.objects.filter(roles__role__in=[Role.STAFF], is_active=True).distinct()
