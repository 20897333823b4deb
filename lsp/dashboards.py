"""The dashboard of each role, in the order the navigation lists them."""

from django.utils.translation import gettext_lazy as _

from .models import Role

DASHBOARDS = [
    # (role, url name, label)
    (Role.ADMIN, "dashboard-admin", _("Administrator")),
    (Role.APPLICANT, "dashboard-applicant", _("Applicant")),
    (Role.ASSESSOR, "dashboard-assessor", _("Assessor")),
    (Role.STAFF, "dashboard-staff", _("LSP staff")),
    (Role.TECHNICAL_TEAM, "dashboard-technical-team", _("Technical team")),
    (Role.APPEAL_TEAM, "dashboard-appeal-team", _("Appeal team")),
]


def dashboards_for(user):
    if not user.is_authenticated:
        return []
    return [(role, url_name, label) for role, url_name, label in DASHBOARDS if user.has_role(role)]
