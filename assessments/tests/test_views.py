"""Every page × every role: anonymous → login, wrong role → 403, someone else's → 404, right role → 200.

Plus the forms of the workspace posted through the views (formsets for the plan and results).
"""

import pytest
from django.urls import reverse

from applicants.models import Document
from assessments import services
from assessments.models import AssessmentPlan, AssessmentRecord, Assignment, EvidenceReview, Verdict
from assessments.services._common import candidate_units
from lsp.models import Role

from .conftest import make_assessor, record_all_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agreed, assessor, other_assessor, staff, candidate, make_user, tmi, django_capture_on_commit_callbacks):
    """A submitted record of ``candidate`` by ``assessor``; another assessor and another applicant."""
    record_all_units(agreed, assessor.user)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_submit(actor=assessor.user, assignment=agreed)
    return {
        "assignment": agreed,
        "record": record,
        "schedule": agreed.schedule,
        "staff": staff,
        "assessor": assessor.user,
        "other_assessor": other_assessor.user,
        "candidate": candidate,
        "other_applicant": make_user(Role.APPLICANT),
        "technical": make_user(Role.TECHNICAL_TEAM),
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


STAFF_PAGES = [
    ("assessments:schedule-list", None),
    ("assessments:schedule-create", None),
    ("assessments:schedule-detail", "schedule"),
    ("assessments:record-detail", "record"),
    ("assessments:tuk-list", None),
]
ASSESSOR_PAGES = [
    ("assessments:workspace", "assignment"),
    ("assessments:evidence-review", "assignment"),
    ("assessments:plan", "assignment"),
    ("assessments:results", "assignment"),
]
CANDIDATE_PAGES = [("assessments:candidate-detail", "assignment")]


def _url(world, name, obj):
    return reverse(name, args=[world[obj].pk]) if obj else reverse(name)


@pytest.mark.parametrize(("name", "obj"), STAFF_PAGES)
def test_staff_pages(client, world, name, obj):
    url = _url(world, name, obj)
    assert _get(client, None, url).status_code == 302
    for role in ("assessor", "candidate", "technical"):
        assert _get(client, world[role], url).status_code == 403, role
    assert _get(client, world["staff"], url).status_code == 200


@pytest.mark.parametrize(("name", "obj"), ASSESSOR_PAGES)
def test_assessor_pages_answer_404_for_another_assessors_candidate(client, world, name, obj):
    url = _url(world, name, obj)
    assert _get(client, None, url).status_code == 302
    assert _get(client, world["assessor"], url).status_code == 200
    assert _get(client, world["other_assessor"], url).status_code == 404
    for role in ("staff", "candidate", "technical"):
        assert _get(client, world[role], url).status_code == 403, role


def test_unit_result_page(client, world):
    url = reverse("assessments:unit-result", args=[world["assignment"].pk, 1])
    assert _get(client, world["assessor"], url).status_code == 200
    assert _get(client, world["other_assessor"], url).status_code == 404
    assert _get(client, world["assessor"], reverse("assessments:unit-result", args=[world["assignment"].pk, 99])).status_code == 404


@pytest.mark.parametrize(("name", "obj"), CANDIDATE_PAGES)
def test_candidate_pages_answer_404_for_someone_elses(client, world, name, obj):
    url = _url(world, name, obj)
    assert _get(client, world["candidate"], url).status_code == 200
    assert _get(client, world["other_applicant"], url).status_code == 404
    assert _get(client, world["assessor"], url).status_code == 403


def test_lists_show_only_ones_own(client, world):
    response = _get(client, world["other_assessor"], reverse("assessments:assessor-home"))
    assert response.status_code == 200 and world["candidate"].full_name not in response.content.decode()
    response = _get(client, world["assessor"], reverse("dashboard-assessor"))
    assert world["candidate"].full_name in response.content.decode()
    response = _get(client, world["other_applicant"], reverse("assessments:candidate-list"))
    assert world["schedule"].number not in response.content.decode()
    response = _get(client, world["candidate"], reverse("assessments:candidate-list"))
    assert world["schedule"].number in response.content.decode()


def test_record_pdf_only_for_staff_its_assessor_and_its_candidate(client, world):
    url = reverse("assessments:record-pdf", args=[world["record"].pk])
    for role in ("staff", "assessor", "candidate"):
        response = _get(client, world[role], url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for role in ("other_assessor", "other_applicant", "technical"):
        assert _get(client, world[role], url).status_code == 404, role
    assert _get(client, None, url).status_code == 302


def test_session_report_only_for_staff_and_its_assessors(client, world):
    url = reverse("assessments:schedule-report-pdf", args=[world["schedule"].pk])
    for role in ("staff", "assessor"):
        assert _get(client, world[role], url).status_code == 200, role
    for role in ("other_assessor", "candidate", "technical"):
        assert _get(client, world[role], url).status_code == 404, role


def test_assigned_assessor_opens_the_candidates_documents_only_after_declaring(client, assigned, assessor, other_assessor):
    document = assigned.application.documents.filter(kind=Document.Kind.REQUIREMENT).first()
    url = reverse("applicants:document", args=[document.uuid])
    assert _get(client, assessor.user, url).status_code == 404
    services.assignment_declare(actor=assessor.user, assignment=assigned, has_conflict=False)
    assert _get(client, assessor.user, url).status_code == 200
    assert _get(client, other_assessor.user, url).status_code == 404


def test_action_urls_refuse_get(client, world):
    pk = world["assignment"].pk
    for name, arg in [
        ("assessments:declare", pk), ("assessments:submit", pk), ("assessments:candidate-agree", pk),
        ("assessments:candidate-feedback", pk), ("assessments:assignment-assign", pk),
        ("assessments:assignment-remove", pk), ("assessments:record-reopen", world["record"].pk),
        ("assessments:schedule-cancel", world["schedule"].pk),
        ("assessments:schedule-add-candidate", world["schedule"].pk),
    ]:
        assert _get(client, world["staff"], reverse(name, args=[arg])).status_code == 405, name


# --- the forms through the views ---------------------------------------------------------------------


def test_staff_create_schedule_add_candidate_and_assign(client, staff, tmi, tuk, assessor, application):
    client.force_login(staff)
    response = client.post(
        reverse("assessments:schedule-create"),
        {"scheme": tmi.pk, "tuk": tuk.pk, "date": tuk.verifications.get().verified_on.isoformat(),
         "start_time": "08:00", "capacity": 3, "assessors": [assessor.pk]},
    )
    schedule = tuk.schedules.get()
    assert response["Location"] == reverse("assessments:schedule-detail", args=[schedule.pk])
    client.post(reverse("assessments:schedule-add-candidate", args=[schedule.pk]), {"application": application.pk})
    assignment = Assignment.objects.get()
    response = client.post(reverse("assessments:assignment-assign", args=[assignment.pk]), {f"a{assignment.pk}-assessor": assessor.pk})
    assert response.status_code == 302
    assert Assignment.objects.get().status == Assignment.Status.AWAITING_DECLARATION
    page = client.get(reverse("assessments:schedule-detail", args=[schedule.pk])).content.decode()
    assert assessor.user.full_name in page


def test_assessor_declares_reviews_and_plans_through_the_pages(client, assigned, assessor, tuk):
    client.force_login(assessor.user)
    workspace = reverse("assessments:workspace", args=[assigned.pk])
    # Before the declaration the file is closed: the review page sends back to the overview.
    assert client.get(reverse("assessments:evidence-review", args=[assigned.pk]))["Location"] == workspace
    client.post(reverse("assessments:declare", args=[assigned.pk]), {"has_conflict": "no"})
    units = candidate_units(assigned.application)
    data = {"units-TOTAL_FORMS": len(units), "units-INITIAL_FORMS": len(units), "outcome": "proceed", "reason": "Memadai"}
    for i, unit in enumerate(units):
        data.update({f"units-{i}-code": unit["code"], f"units-{i}-adequate": "yes", f"units-{i}-note": ""})
    response = client.post(reverse("assessments:evidence-review", args=[assigned.pk]), data)
    assert response["Location"] == reverse("assessments:plan", args=[assigned.pk])
    assert EvidenceReview.objects.get().outcome == "proceed"
    data = {"units-TOTAL_FORMS": len(units), "units-INITIAL_FORMS": len(units), "date": tuk.verifications.get().verified_on.isoformat(),
            "start_time": "09:00", "tuk": tuk.pk, "notes": ""}
    for i, unit in enumerate(units):
        data.update({f"units-{i}-code": unit["code"], f"units-{i}-methods": ["observasi", "lisan"],
                     f"units-{i}-evidence_to_collect": "Dokumen"})
    response = client.post(reverse("assessments:plan", args=[assigned.pk]), data)
    assert response["Location"] == workspace
    assert AssessmentPlan.objects.get().units.get(position=1).methods == ["observasi", "lisan"]


def test_declared_conflict_through_the_page(client, assigned, assessor):
    client.force_login(assessor.user)
    response = client.post(
        reverse("assessments:declare", args=[assigned.pk]),
        {"has_conflict": "yes", "kinds": ["same_employer"], "note": ""},
    )
    assert response["Location"] == reverse("assessments:assessor-home")
    assert Assignment.objects.get().status == Assignment.Status.AWAITING_ASSESSOR
    # The candidate is gone from the assessor's scope.
    assert client.get(reverse("assessments:workspace", args=[assigned.pk])).status_code == 404


def _unit_post(unit, items, verdict="K"):
    data = {"methods": ["observasi"], "verdict": verdict, "note": "",
            "elements-TOTAL_FORMS": 0, "elements-INITIAL_FORMS": 0,
            "evidence-TOTAL_FORMS": len(items), "evidence-INITIAL_FORMS": 0}
    for i, item in enumerate(items):
        data[f"evidence-{i}-description"] = item["description"]
        for rule in ("valid", "authentic", "current", "sufficient"):
            if item.get(rule, True):
                data[f"evidence-{i}-{rule}"] = "on"
    return data


def test_unit_results_and_submission_through_the_pages(client, agreed, assessor, candidate):
    client.force_login(assessor.user)
    units = candidate_units(agreed.application)
    first = reverse("assessments:unit-result", args=[agreed.pk, 1])
    response = client.post(first, _unit_post(units[0], [{"description": "Foto", "current": False}]), follow=True)
    assert "BK" in response.content.decode()
    assert AssessmentRecord.objects.get().units.get().verdict == Verdict.BK
    for position, unit in enumerate(units, 1):
        client.post(
            reverse("assessments:unit-result", args=[agreed.pk, position]), _unit_post(unit, [{"description": "Jadwal"}])
        )
    page = client.get(reverse("assessments:results", args=[agreed.pk])).content.decode()
    assert 'data-testid="submit-record"' in page
    client.post(reverse("assessments:submit", args=[agreed.pk]), {"expected": "K", "follow_up": "", "note": ""})
    record = AssessmentRecord.objects.get()
    assert (record.status, record.recommendation) == ("submitted", "K")
    # The candidate sees the recommendation on their page.
    client.force_login(candidate)
    page = client.get(reverse("assessments:candidate-detail", args=[agreed.pk])).content.decode()
    assert 'data-testid="recommendation"' in page


def test_candidate_agrees_and_gives_feedback_through_the_pages(client, planned, candidate, assessor):
    client.force_login(candidate)
    url = reverse("assessments:candidate-detail", args=[planned.pk])
    assert 'data-testid="agreement-form"' in client.get(url).content.decode()
    client.post(reverse("assessments:candidate-agree", args=[planned.pk]), {"version": 1, "agree_plan": "on"})
    assert not AssessmentPlan.objects.get().is_agreed  # confidentiality not ticked
    client.post(
        reverse("assessments:candidate-agree", args=[planned.pk]), {"version": 1, "agree_plan": "on", "confidentiality": "on"}
    )
    assert AssessmentPlan.objects.get().is_agreed
    record_all_units(planned, assessor.user)
    services.record_submit(actor=assessor.user, assignment=planned)
    from assessments.models import FEEDBACK_QUESTIONS

    data = {code: "yes" for code, _text in FEEDBACK_QUESTIONS}
    data["comment"] = "Asesor ramah"
    client.post(reverse("assessments:candidate-feedback", args=[planned.pk]), data)
    assert Assignment.objects.get().feedback.comment == "Asesor ramah"


def test_staff_reopen_through_the_page(client, world):
    client.force_login(world["staff"])
    url = reverse("assessments:record-reopen", args=[world["record"].pk])
    client.post(url, {"reason": ""})
    assert AssessmentRecord.objects.get().status == "submitted"
    client.post(url, {"reason": "Periksa unit 2"})
    assert AssessmentRecord.objects.get().status == "draft"


def test_assessor_dashboard_without_an_assessor_profile(client, make_user):
    client.force_login(make_user(Role.ASSESSOR))
    assert client.get(reverse("dashboard-assessor")).status_code == 200


def test_expired_assessor_not_offered_for_assignment(client, staff, assignment, make_user, tmi):
    import datetime

    from .conftest import TODAY

    expired = make_assessor(make_user, [tmi], valid_until=TODAY() - datetime.timedelta(days=1), full_name="Lama Kadaluarsa")
    client.force_login(staff)
    page = client.get(reverse("assessments:schedule-detail", args=[assignment.schedule_id])).content.decode()
    assert expired.met_number not in page.split('data-testid="assign-form"')[1]
