from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from .views import accounts, pages

handler403 = "lsp.views.errors.permission_denied"
handler404 = "lsp.views.errors.page_not_found"
handler500 = "lsp.views.errors.server_error"

# Django's form views take PUT as POST (and the login view redirects a logged-in user whatever the method):
# these pages answer GET and POST only.
get_or_post = require_http_methods(["GET", "POST"])

account_patterns = [
    path("login/", get_or_post(accounts.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", accounts.register, name="register"),
    path("verify/<uidb64>/<token>/", accounts.verify_email, name="verify-email"),
    path(
        "password-reset/",
        get_or_post(auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        )),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        get_or_post(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

dashboard_patterns = [
    path("", pages.dashboard, name="dashboard"),
    path("applicant/", pages.dashboard_applicant, name="dashboard-applicant"),
    path("assessor/", pages.dashboard_assessor, name="dashboard-assessor"),
    path("staff/", pages.dashboard_staff, name="dashboard-staff"),
    path("technical-team/", pages.dashboard_technical_team, name="dashboard-technical-team"),
    path("appeal-team/", pages.dashboard_appeal_team, name="dashboard-appeal-team"),
    path("admin/", pages.dashboard_admin, name="dashboard-admin"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/", include(account_patterns)),
    path("dashboard/", include(dashboard_patterns)),
    path("history/<str:app_label>/<str:model_name>/<str:pk>/", pages.object_history, name="object-history"),
    path("notifications/", pages.notification_list, name="notifications"),
    path("i18n/setlang/", pages.set_language, name="set_language"),
    path("schemes/", include("schemes.urls")),
    path("applications/", include("applicants.urls")),
    path("assessment/", include("assessments.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views.defaults import page_not_found

    urlpatterns += [path("404/", page_not_found, {"exception": Exception()})]
