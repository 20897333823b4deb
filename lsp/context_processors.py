from django.conf import settings

from .dashboards import dashboards_for
from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_dashboards": dashboards_for(user) if user is not None else [],
        "LSP_NAME": settings.LSP_NAME,
        "is_lsp_staff": bool(user and user.is_authenticated and user.has_role(Role.STAFF, Role.ADMIN)),
    }
