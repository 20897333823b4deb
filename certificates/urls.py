from django.urls import path

from .views import holder, letters, meetings

app_name = "certificates"

urlpatterns = [
    # The technical team's meetings and decisions (9.4.2–9.4.4).
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/records/<int:record_pk>/", meetings.decide, name="decide"),
    path("meetings/<int:pk>/records/<int:record_pk>/conflict/", meetings.declare_conflict, name="declare-conflict"),
    path("meetings/<int:pk>/close/", meetings.meeting_close, name="meeting-close"),
    path("meetings/<int:pk>/berita-acara.pdf", meetings.minutes_pdf, name="minutes-pdf"),
    path("meetings/<int:pk>/sk/", letters.letter_create, name="letter-create"),
    # Surat Keputusan (9.4.5), issuance (9.4.6) and reporting to BNSP (staff).
    path("sk/", letters.letter_list, name="letter-list"),
    path("sk/<int:pk>/", letters.letter_detail, name="letter-detail"),
    path("sk/<int:pk>/issue/", letters.letter_issue, name="letter-issue"),
    path("sk/<int:pk>/progress/", letters.letter_progress, name="letter-progress"),
    path("sk/<int:pk>/surat-keputusan.pdf", letters.letter_pdf, name="letter-pdf"),
    path("sk/<int:pk>/blanko-package.zip", letters.letter_package, name="letter-package"),
    path("sk/<int:pk>/bnsp-numbers/", letters.letter_import_numbers, name="letter-import-numbers"),
    path("list/", letters.certificate_list, name="certificate-list"),
    path("list/<int:pk>/", letters.certificate_detail, name="certificate-detail"),
    path("list/<int:pk>/numbers/", letters.certificate_numbers, name="certificate-numbers"),
    path("list/<int:pk>/handover/", letters.certificate_handover, name="certificate-handover"),
    path("list/<int:pk>/sertifikat.pdf", letters.certificate_pdf, name="certificate-pdf"),
    # The holder (9.8, 9.4.7).
    path("my/", holder.my_list, name="my-list"),
    path("my/<int:pk>/", holder.my_certificate, name="my-certificate"),
    path("my/<int:pk>/sertifikat.pdf", holder.my_certificate_download, name="my-certificate-download"),
]
