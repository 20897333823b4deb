from django.urls import path

from .views import assessor, candidate, files, registries, staff

app_name = "assessments"

urlpatterns = [
    # Registries (staff): TUKs (9.3.2) and assessors (9.2.2).
    path("tuk/", registries.tuk_index, name="tuk-list"),
    path("tuk/new/", registries.tuk_create, name="tuk-create"),
    path("tuk/<int:pk>/", registries.tuk_detail, name="tuk-detail"),
    path("assessors/", registries.assessor_index, name="assessor-list"),
    # Schedules and assignment (staff, 9.2.2).
    path("schedules/", staff.schedule_index, name="schedule-list"),
    path("schedules/new/", staff.schedule_create, name="schedule-create"),
    path("schedules/<int:pk>/", staff.schedule_detail, name="schedule-detail"),
    path("schedules/<int:pk>/candidates/", staff.schedule_add_candidate, name="schedule-add-candidate"),
    path("schedules/<int:pk>/cancel/", staff.schedule_cancel, name="schedule-cancel"),
    path("schedules/<int:pk>/report.pdf", files.schedule_report_pdf, name="schedule-report-pdf"),
    path("assignments/<int:pk>/assign/", staff.assignment_assign, name="assignment-assign"),
    path("assignments/<int:pk>/remove/", staff.assignment_remove, name="assignment-remove"),
    path("records/<int:pk>/", staff.record_detail, name="record-detail"),
    path("records/<int:pk>/reopen/", staff.record_reopen, name="record-reopen"),
    path("records/<int:pk>/fr-ak-02.pdf", files.record_pdf, name="record-pdf"),
    # The assessor's workspace (9.2.3–9.2.6, 9.3.3–9.3.5).
    path("assessor/", assessor.assessor_index, name="assessor-home"),
    path("assessor/<int:pk>/", assessor.workspace, name="workspace"),
    path("assessor/<int:pk>/declare/", assessor.declare, name="declare"),
    path("assessor/<int:pk>/apl-02/", assessor.evidence_review, name="evidence-review"),
    path("assessor/<int:pk>/plan/", assessor.plan, name="plan"),
    path("assessor/<int:pk>/results/", assessor.results, name="results"),
    path("assessor/<int:pk>/results/<int:position>/", assessor.unit_result, name="unit-result"),
    path("assessor/<int:pk>/submit/", assessor.submit, name="submit"),
    # The candidate (9.2.4 FR.AK.01, FR.AK.03).
    path("my/", candidate.candidate_index, name="candidate-list"),
    path("my/<int:pk>/", candidate.candidate_detail, name="candidate-detail"),
    path("my/<int:pk>/agree/", candidate.candidate_agree, name="candidate-agree"),
    path("my/<int:pk>/feedback/", candidate.candidate_feedback, name="candidate-feedback"),
]
