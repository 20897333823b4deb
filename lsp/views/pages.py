from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import i18n as i18n_views
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from ..audit import audit_history
from ..dashboards import dashboards_for
from ..models import Role
from ..permissions import role_required, staff_required


@require_GET
def home(request):
    return render(request, "lsp/home.html")


@require_GET
@role_required(*Role.values)
def dashboard(request):
    """Send the user to the dashboard of their first role."""
    _role, url_name, _label = dashboards_for(request.user)[0]
    return redirect(url_name)


def _dashboard_view(role, template):
    @require_GET
    @role_required(role)
    def view(request):
        return render(request, template, {"role": role})

    view.__name__ = f"dashboard_{role}"
    return view


dashboard_applicant = _dashboard_view(Role.APPLICANT, "lsp/dashboards/applicant.html")
dashboard_assessor = _dashboard_view(Role.ASSESSOR, "lsp/dashboards/assessor.html")
dashboard_staff = _dashboard_view(Role.STAFF, "lsp/dashboards/staff.html")
dashboard_technical_team = _dashboard_view(Role.TECHNICAL_TEAM, "lsp/dashboards/technical_team.html")
dashboard_appeal_team = _dashboard_view(Role.APPEAL_TEAM, "lsp/dashboards/appeal_team.html")
dashboard_admin = _dashboard_view(Role.ADMIN, "lsp/dashboards/admin.html")


@require_GET
@staff_required
def object_history(request, app_label, model_name, pk):
    """The audit trail of any object, for staff."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return render(
        request,
        "lsp/history.html",
        {
            "object": obj,
            "model_name": ContentType.objects.get_for_model(model).name,
            "events": audit_history(obj),
        },
    )


@require_GET
@role_required(*Role.values)
def notification_list(request):
    """The user's own messages, newest first."""
    notifications = request.user.notifications.all()[:100]
    return render(request, "lsp/notifications.html", {"notifications": notifications})


@csrf_exempt
@require_POST
def set_language(request):
    """Django's language switch, also remembered on the account (emails use it).

    A visitor who is not signed in switches without a CSRF token: the public pages carry nothing
    per visitor, so that they can be served from the cache (``lsp.pagecache``), and a forged switch
    could only set the language cookie. A signed-in user's switch writes to the account, so it is
    checked like every other form.
    """
    if request.user.is_authenticated:
        return _set_language_remembered(request)
    return i18n_views.set_language(request)


@csrf_protect
def _set_language_remembered(request):
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response
