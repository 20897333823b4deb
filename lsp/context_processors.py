from django.conf import settings

from .dashboards import dashboards_for
from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_dashboards": dashboards_for(user) if user is not None else [],
        "LSP_NAME": settings.LSP_NAME,
        "is_lsp_staff": signed_in and user.has_role(Role.STAFF, Role.ADMIN),
        # The menu depends only on the roles and the language: base.html keeps one copy per both.
        "nav_roles": ",".join(sorted(user.role_codes)) if signed_in else "-",
    }
