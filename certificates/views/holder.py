"""The holder's pages: their decisions with the appeal deadline, the use agreement (9.8), the download (marked
once the certificate is no longer valid), and the certificate's life after issue (9.5–9.7)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from lsp.models import Role
from lsp.permissions import role_required
from lsp.views.helpers import attempt, form_errors_to_messages
from schemes.selectors import scheme_ethics_items, scheme_use_rules

from .. import services
from ..forms import UseAgreementForm
from ..models import Handover
from ..ratelimit import client_ip
from ..selectors import (
    certificate_after_issue,
    holder_appeals,
    holder_certificate,
    holder_certificates,
    holder_decisions,
)
from ._helpers import certificate_file_response

applicant_only = role_required(Role.APPLICANT)


@require_GET
@applicant_only
def my_list(request):
    return render(
        request,
        "certificates/holder/my_list.html",
        {
            "decisions": holder_decisions(request.user),
            "certificates": holder_certificates(request.user),
            "appeals": holder_appeals(request.user),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@applicant_only
def my_certificate(request, pk):
    """GET shows the certificate and, until signed, the use agreement; POST signs it."""
    certificate = holder_certificate(request.user, pk)
    agreement = certificate.agreement_or_none()
    form = UseAgreementForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            signed = attempt(
                request, services.use_agreement_sign, _("Thank you. You can now download your certificate."),
                actor=request.user, certificate=certificate, agree_use_rules=True, agree_ethics=True,
                ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
            if signed is not None:
                return redirect("certificates:my-certificate", pk=certificate.pk)
        else:
            form_errors_to_messages(request, form)
    return render(
        request,
        "certificates/holder/my_certificate.html",
        {
            **certificate_after_issue(certificate),
            "certificate": certificate,
            "agreement": agreement,
            "use_rules": agreement.use_rules if agreement else scheme_use_rules(scheme=certificate.scheme),
            "ethics": agreement.ethics if agreement else scheme_ethics_items(scheme=certificate.scheme),
            "form": form,
            "handovers": certificate.handovers.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@applicant_only
def my_certificate_download(request, pk):
    """The PDF, only after the use agreement (9.8).

    The first download of a valid certificate is its digital hand-over (9.4.7), a change of
    state, so it takes the page's button (a POST); once handed over, the address serves the
    file to a plain GET too.
    """
    certificate = holder_certificate(request.user, pk)
    if certificate.agreement_or_none() is None:
        messages.warning(request, _("Agree to the rules of certificate use and the code of ethics first."))
        return redirect("certificates:my-certificate", pk=certificate.pk)
    filename = f"sertifikat-{certificate.number.replace(' ', '-')}.pdf"
    if not certificate.is_valid_today:
        # Suspended, revoked, expired or replaced: the holder's copy for their records, marked with the status.
        return certificate_file_response(certificate, filename=filename)
    if request.method == "POST":
        handover = attempt(
            request, services.certificate_hand_over, actor=request.user, certificate=certificate,
            method=Handover.Method.DIGITAL,
        )
        if handover is None:
            return redirect("certificates:my-certificate", pk=certificate.pk)
    elif not certificate.handovers.filter(method=Handover.Method.DIGITAL).exists():
        messages.info(request, _("Download the certificate with the button on this page: the first download records its hand-over to you."))
        return redirect("certificates:my-certificate", pk=certificate.pk)
    return certificate_file_response(certificate, filename=filename)
    handover = attempt(
        request, services.certificate_hand_over, actor=request.user, certificate=certificate,
        method=Handover.Method.DIGITAL,
    )
    if handover is None:
        return redirect("certificates:my-certificate", pk=certificate.pk)
    return certificate_file_response(certificate, filename=filename)
