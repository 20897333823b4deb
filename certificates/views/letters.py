"""Staff: the Surat Keputusan (9.4.5), bulk issuance with progress, certificates, BNSP numbers and hand-over."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from lsp.audit import audit_history
from lsp.permissions import staff_required
from lsp.views.helpers import attempt, form_errors_to_messages, paginate, private_file_response

from .. import services
from ..forms import BnspImportForm, BnspNumbersForm, HandoverForm, LetterForm, OverrideForm
from ..models import Handover
from ..reporting import blanko_package, package_filename, read_bnsp_numbers
from ..selectors import (
    certificate_after_issue,
    certificate_for_staff,
    certificates_for_staff,
    issued_so_far,
    latest_run,
    letter_for_staff,
    letters_for_staff,
    meeting_for_viewer,
)
from ._helpers import certificate_file_response


@require_POST
@staff_required
def letter_create(request, pk):
    meeting = meeting_for_viewer(request.user, pk)
    form = LetterForm(request.POST)
    if form.is_valid():
        letter = attempt(
            request, services.decision_letter_issue, _("Surat Keputusan issued."), actor=request.user, meeting=meeting,
            **form.cleaned_data,
        )
        if letter is not None:
            return redirect("certificates:letter-detail", pk=letter.pk)
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:meeting-detail", pk=meeting.pk)


@require_GET
@staff_required
def letter_list(request):
    letters = letters_for_staff().order_by("-date", "-id")
    return render(request, "certificates/staff/letter_list.html", {"page": paginate(request, letters, per_page=50)})


@require_GET
@staff_required
def letter_detail(request, pk):
    letter = letter_for_staff(request.user, pk)
    decisions = list(letter.granted_decisions().select_related("certificate"))
    return render(
        request,
        "certificates/staff/letter_detail.html",
        {
            "letter": letter,
            "rows": [{"decision": d, "certificate": d.certificate_or_none()} for d in decisions],
            "run": latest_run(letter),
            "import_form": BnspImportForm(),
            "events": audit_history(letter)[:10],
        },
    )


@require_POST
@staff_required
def letter_issue(request, pk):
    letter = letter_for_staff(request.user, pk)
    run = attempt(request, services.issuance_run_start, actor=request.user, letter=letter)
    if run is None:
        return redirect("certificates:letter-detail", pk=letter.pk)
    return redirect("certificates:letter-progress", pk=letter.pk)


@require_GET
@staff_required
def letter_progress(request, pk):
    """The progress of the bulk issuance; the page reloads itself (meta refresh, no script) while it runs."""
    letter = letter_for_staff(request.user, pk)
    run = latest_run(letter)
    context = {"letter": letter, "run": run, "issued": issued_so_far(run) if run is not None else 0}
    response = render(request, "certificates/staff/letter_progress.html", context)
    if run is not None and run.is_running:
        response["Refresh"] = "2"
    return response


@require_GET
@staff_required
def letter_pdf(request, pk):
    letter = letter_for_staff(request.user, pk)
    return private_file_response(letter.pdf, filename=f"surat-keputusan-{letter.pk}.pdf")


@require_GET
@staff_required
def letter_package(request, pk):
    """The blanko package for BNSP: participant list (XLSX), Berita Acara and SK PDFs, in one zip."""
    letter = letter_for_staff(request.user, pk)
    response = HttpResponse(blanko_package(letter), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package_filename(letter)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def letter_import_numbers(request, pk):
    letter = letter_for_staff(request.user, pk)
    form = BnspImportForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("certificates:letter-detail", pk=letter.pk)
    try:
        rows = read_bnsp_numbers(form.cleaned_data["file"])
    except Exception:  # openpyxl raises many kinds on a damaged or disguised file
        messages.error(request, _("The file could not be read as XLSX."))
        return redirect("certificates:letter-detail", pk=letter.pk)
    changed, problems = services.bnsp_numbers_import(actor=request.user, letter=letter, rows=rows)
    messages.success(request, _("%(count)s certificates updated.") % {"count": changed})
    for problem in problems:
        messages.warning(request, problem)
    return redirect("certificates:letter-detail", pk=letter.pk)


@require_GET
@staff_required
def certificate_list(request):
    search = request.GET.get("q", "")
    return render(
        request,
        "certificates/staff/certificate_list.html",
        {"page": paginate(request, certificates_for_staff(search=search), per_page=50), "search": search},
    )


@require_GET
@staff_required
def certificate_detail(request, pk):
    certificate = certificate_for_staff(request.user, pk)
    return render(
        request,
        "certificates/staff/certificate_detail.html",
        {
            **certificate_after_issue(certificate),
            "sanction_cases": certificate.sanction_cases.order_by("-opened_at", "-id"),
            "override_form": OverrideForm(),
            "certificate": certificate,
            "agreement": certificate.agreement_or_none(),
            "handovers": certificate.handovers.select_related("recorded_by"),
            "problems": services.handover_problems(certificate, Handover.Method.COLLECTED),
            "numbers_form": BnspNumbersForm(
                initial={
                    "bnsp_registration_number": certificate.bnsp_registration_number,
                    "blanko_number": certificate.blanko_number,
                }
            ),
            "handover_form": HandoverForm(),
            "events": audit_history(certificate)[:15],
        },
    )


@require_POST
@staff_required
def certificate_numbers(request, pk):
    certificate = certificate_for_staff(request.user, pk)
    form = BnspNumbersForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.certificate_bnsp_numbers_set, _("Numbers saved."), actor=request.user,
            certificate=certificate, registration_number=form.cleaned_data["bnsp_registration_number"],
            blanko_number=form.cleaned_data["blanko_number"],
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:certificate-detail", pk=certificate.pk)


@require_POST
@staff_required
def certificate_handover(request, pk):
    certificate = certificate_for_staff(request.user, pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        attempt(
            request, services.certificate_hand_over, _("Hand-over recorded."), actor=request.user,
            certificate=certificate, **form.cleaned_data,
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("certificates:certificate-detail", pk=certificate.pk)


@require_GET
@staff_required
def certificate_pdf(request, pk):
    certificate = certificate_for_staff(request.user, pk)
    return certificate_file_response(certificate, filename=f"sertifikat-{certificate.pk}.pdf")
