from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..errors import DomainError
from ..forms import EmailLoginForm, RegistrationForm
from ..services import applicant_register, applicant_verify_email


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        applicant_register(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=translation.get_language() or "id",
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return render(request, "registration/register_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "registration/register.html", {"form": form})


@require_GET
def verify_email(request, uidb64, token):
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        user_id = None
    try:
        if user_id is None:
            raise DomainError(_("This verification link is not valid."))
        applicant_verify_email(user_id=user_id, token=token)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("login")
    messages.success(request, _("Your email address is verified. You can log in now."))
    return redirect("login")


def axes_username(request, credentials=None):
    """The name axes locks out: the email as typed, lower-cased, so case tricks don't help."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def lockout(request, original_response=None, credentials=None):
    """Axes calls this when a (user, IP) pair is locked out: say when to try again."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    retry_at = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(
        request,
        "registration/lockout.html",
        {"retry_at": retry_at, "minutes": minutes},
        status=429,
    )
