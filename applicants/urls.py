from django.urls import path

from .views import applicant, files, questions, staff

app_name = "applicants"

urlpatterns = [
    # The applicant's path (9.1.1–9.1.4).
    path("", applicant.application_list, name="list"),
    path("start/<slug:slug>/", applicant.start, name="start"),
    path("<int:pk>/", applicant.detail, name="detail"),
    path("<int:pk>/personal/", applicant.personal, name="personal"),
    path("<int:pk>/work/", applicant.work, name="work"),
    path("<int:pk>/purpose/", applicant.purpose, name="purpose"),
    path("<int:pk>/documents/", applicant.documents, name="documents"),
    path("<int:pk>/documents/path/", applicant.choose_alternative, name="choose-alternative"),
    path("<int:pk>/documents/upload/<int:requirement_id>/", applicant.upload_requirement, name="upload-requirement"),
    path("<int:pk>/documents/<uuid:uuid>/remove/", applicant.remove_document, name="remove-document"),
    path("<int:pk>/self-assessment/", applicant.self_assessment, name="self-assessment"),
    path("<int:pk>/self-assessment/evidence/", applicant.upload_evidence, name="upload-evidence"),
    path("<int:pk>/submit/", applicant.submit, name="submit"),
    path("<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("<int:pk>/invoice/", files.invoice, name="invoice"),
    # Files, for whoever may see them (owner, staff, rules added by later apps).
    path("files/<uuid:uuid>/", files.document_download, name="document"),
    path("<int:pk>/pdf/<str:form>/", files.application_pdf, name="pdf"),
    # Questions to the LSP (7.1.2).
    path("questions/", questions.question_list, name="questions"),
    path("questions/<int:pk>/", questions.question_thread, name="question"),
    # LSP staff (9.1.5, 9.1.6, section 8).
    path("review/", staff.queue, name="review-queue"),
    path("review/<int:pk>/", staff.review, name="review"),
    path("review/<int:pk>/documents/<uuid:uuid>/", staff.review_document, name="review-document"),
    path("review/<int:pk>/revision/", staff.request_revision, name="request-revision"),
    path("review/<int:pk>/accept/", staff.accept, name="accept"),
    path("review/<int:pk>/reject/", staff.reject, name="reject"),
    path("review/<int:pk>/payment/verify/", staff.payment_verify, name="payment-verify"),
    path("review/<int:pk>/payment/reject/", staff.payment_reject, name="payment-reject"),
    path("review/<int:pk>/payment/sponsor/", staff.payment_sponsor, name="payment-sponsor"),
]
