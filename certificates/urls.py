from django.urls import path

from .views import appeals, holder, letters, meetings, recertification, sanctions, surveillance

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
    path("list/<int:pk>/sanction/", sanctions.sanction_open, name="sanction-open"),
    path(
        "list/<int:pk>/recertification-override/", recertification.recertification_override,
        name="recertification-override",
    ),
    # The holder (9.8, 9.4.7) and the candidate's appeal (9.9).
    path("my/", holder.my_list, name="my-list"),
    path("my/<int:pk>/", holder.my_certificate, name="my-certificate"),
    path("my/<int:pk>/sertifikat.pdf", holder.my_certificate_download, name="my-certificate-download"),
    path("my/<int:pk>/recertify/", recertification.recertify, name="recertify"),
    path("my/surveillance/<int:pk>/", surveillance.my_surveillance, name="my-surveillance"),
    path("my/decisions/<int:pk>/appeal/", appeals.appeal_file, name="appeal-file"),
    path("my/appeals/<int:pk>/", appeals.my_appeal, name="my-appeal"),
    path("my/appeals/<int:pk>/withdraw/", appeals.my_appeal_withdraw, name="my-appeal-withdraw"),
    # Surveillance of holders (9.6), staff.
    path("surveillance/", surveillance.surveillance_list, name="surveillance-list"),
    path("surveillance/<int:pk>/", surveillance.surveillance_detail, name="surveillance-detail"),
    path("surveillance/<int:pk>/files/<uuid:uuid>/", surveillance.surveillance_file, name="surveillance-file"),
    # Warnings, suspension, revocation (9.5), staff.
    path("sanctions/", sanctions.sanction_list, name="sanction-list"),
    path("sanctions/<int:pk>/", sanctions.sanction_detail, name="sanction-detail"),
    path("sanctions/<int:pk>/warn/", sanctions.sanction_warn, name="sanction-warn"),
    path("sanctions/<int:pk>/suspend/", sanctions.sanction_suspend, name="sanction-suspend"),
    path("sanctions/<int:pk>/reinstate/", sanctions.sanction_reinstate, name="sanction-reinstate"),
    path("sanctions/<int:pk>/revoke/", sanctions.sanction_revoke, name="sanction-revoke"),
    path("sanctions/<int:pk>/close/", sanctions.sanction_close, name="sanction-close"),
    path("sanctions/<int:pk>/steps/<int:step_pk>/returned/", sanctions.sanction_return, name="sanction-return"),
    # Appeals (9.9): staff and the appeal team.
    path("appeals/", appeals.appeal_list, name="appeal-list"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal-detail"),
    path("appeals/<int:pk>/receive/", appeals.appeal_receive, name="appeal-receive"),
    path("appeals/<int:pk>/team/", appeals.appeal_panel, name="appeal-panel"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal-decide"),
    path("appeals/<int:pk>/issue/", appeals.appeal_issue, name="appeal-issue"),
    path("appeals/<int:pk>/reassess/", appeals.appeal_reassess, name="appeal-reassess"),
    path("appeals/<int:pk>/files/<uuid:uuid>/", appeals.appeal_attachment, name="appeal-attachment"),
]
