from django.conf import settings

from .dashboards import dashboards_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_dashboards": dashboards_for(user) if user is not None else [],
        "LSP_NAME": settings.LSP_NAME,
    }
