"""Public verification, mounted at /verify/ (no login)."""

from django.urls import path

from .views import public

app_name = "verify"

urlpatterns = [
    path("", public.verify_search, name="search"),
    path("<str:code>/", public.verify_code, name="code"),
]
