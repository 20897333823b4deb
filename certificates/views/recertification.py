"""Re-certification (9.7): the holder starts it from their certificate up to the deadline; staff may let them in
after it, with a reason."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from lsp.models import Role
from lsp.permissions import role_required, staff_required
from lsp.views.helpers import attempt, form_errors_to_messages

from .. import services
from ..forms import OverrideForm
from ..selectors import certificate_for_staff, holder_certificate
from ..services.recertification import (
    recertification_application,
    recertification_deadline,
    recertification_refusal,
)

applicant_only = role_required(Role.APPLICANT)


@require_http_methods(["GET", "POST"])
@applicant_only
def recertify(request, pk):
    """GET explains the deadline (expiry − the scheme's lead time, 9.7.1); POST opens the pre-filled APL-01."""
    certificate = holder_certificate(request.user, pk)
    existing = recertification_application(certificate)
    if existing is not None:
        return redirect("applicants:detail", existing.pk)
    if request.method == "POST":
        application = attempt(
            request, services.recertification_start,
            _("Your re-certification application is saved as a draft, filled in from your profile."),
            actor=request.user, certificate=certificate,
        )
        if application is not None:
            return redirect("applicants:personal", application.pk)
    return render(
        request,
        "certificates/holder/recertify.html",
        {
            "certificate": certificate,
            "deadline": recertification_deadline(certificate),
            "refusal": recertification_refusal(certificate),
            "override": certificate.recertification_override_or_none(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@staff_required
def recertification_override(request, pk):
    certificate = certificate_for_staff(request.user, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.recertification_override_grant,
            _("The holder may now apply for re-certification after the deadline."),
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:certificate-detail", pk=certificate.pk)
