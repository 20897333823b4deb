"""Staff pages of the registries: TUKs and their verification (9.3.2), assessors (9.2.2)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lsp.audit import audit_history
from lsp.errors import DomainError
from lsp.permissions import staff_required
from lsp.views.helpers import paginate

from .. import services
from ..forms import TukForm, TukVerificationForm
from ..models import Assessor, Tuk
from ..selectors import tuk_list


@require_GET
@staff_required
def tuk_index(request):
    return render(
        request, "assessments/tuk_list.html", {"page": paginate(request, tuk_list(), per_page=50), "today": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
@staff_required
def tuk_create(request):
    form = TukForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tuk = services.tuk_create(actor=request.user, **form.cleaned_data)
        messages.success(request, tuk.name)
        return redirect("assessments:tuk-detail", pk=tuk.pk)
    return render(request, "assessments/tuk_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_required
def tuk_detail(request, pk):
    tuk = get_object_or_404(Tuk, pk=pk)
    form = TukVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tuk_verify(actor=request.user, tuk_id=tuk.pk, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            return redirect("assessments:tuk-detail", pk=tuk.pk)
    today = timezone.localdate()
    return render(
        request,
        "assessments/tuk_detail.html",
        {
            "tuk": tuk,
            "form": form,
            "current": tuk.verification_on(today),
            "verifications": tuk.verifications.select_related("verified_by"),
            "events": audit_history(tuk)[:20],
        },
    )


@require_GET
@staff_required
def assessor_index(request):
    assessors = Assessor.objects.select_related("user").prefetch_related("schemes").order_by("user__full_name", "id")
    return render(
        request,
        "assessments/assessor_list.html",
        {"page": paginate(request, assessors, per_page=50), "today": timezone.localdate()},
    )
