"""The portal's URLs plus the baseline: the cheapest Django view, behind the same middleware."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from lsp.urls import handler403, handler404, handler500  # noqa: F401  (the portal's error pages)


@require_GET
def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("", include("lsp.urls")),
]
