from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from applicants.permissions import register_viewer_rule
        from assessments.services import register_reopen_guard

        from .signals import connect

        register_reopen_guard(_decided_record_stays_closed)
        register_viewer_rule(_appeal_team_member)
        connect()


def _decided_record_stays_closed(record):
    """A record the technical team has decided on is the basis of that decision (9.4.1 b): it is not reopened."""
    if record.decisions.exists():
        return _("The technical team has already decided on this record; it can no longer be reopened.")
    return None


def _appeal_team_member(user, application):
    """A member of the team of an appeal on this application may read its file (9.4.1 b: traced on appeal)."""
    from lsp.models import Role

    from .models import AppealPanelMember

    return user.has_role(Role.APPEAL_TEAM) and AppealPanelMember.objects.filter(
        appeal__application=application, member=user
    ).exists()
