"""Who may see an application and its files (7.1.3: applicants see only their own files).

The owner and LSP staff may; later apps add their own rules (the assessor assigned to the
candidate) with ``register_viewer_rule`` instead of editing this module::

    from applicants.permissions import register_viewer_rule

    @register_viewer_rule
    def assigned_assessor(user, application):
        return Assignment.objects.filter(application=application, assessor__user=user).exists()

A rule receives the user and the *application*; it answers for the application's documents
and PDFs as well. Views answer 404 when these say no, so nothing leaks.
"""

from lsp.models import Role

STAFF_ROLES = (Role.STAFF, Role.ADMIN)

_viewer_rules = []


def register_viewer_rule(rule):
    """Add ``rule(user, application) -> bool``; usable as a decorator. Registering twice is harmless."""
    if rule not in _viewer_rules:
        _viewer_rules.append(rule)
    return rule


def is_lsp_staff(user):
    return bool(user and user.is_authenticated and user.has_role(*STAFF_ROLES))


def can_view_application(user, application):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if application.applicant_id == user.pk or is_lsp_staff(user):
        return True
    return any(rule(user, application) for rule in _viewer_rules)


def can_view_document(user, document):
    """May ``user`` open this uploaded file? The owner, staff, and whoever a registered rule admits."""
    return can_view_application(user, document.application)


def can_edit_application(user, application):
    """Only the owner edits, and only a draft or an application sent back for revision."""
    return (
        user is not None
        and user.is_authenticated
        and application.applicant_id == user.pk
        and application.status in application.EDITABLE_STATUSES
    )
