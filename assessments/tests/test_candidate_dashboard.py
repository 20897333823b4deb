"""The candidate sees the schedule on the dashboard (9.2.2)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_applicant_dashboard_shows_the_scheduled_test(client, candidate, assignment):
    client.force_login(candidate)
    page = client.get(reverse("dashboard-applicant")).content.decode()
    assert assignment.schedule.tuk.name in page
    assert reverse("assessments:candidate-detail", args=[assignment.pk]) in page


def test_before_scheduling_the_dashboard_says_the_lsp_will_assign(client, candidate, application, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(candidate)
    page = client.get(reverse("dashboard-applicant")).content.decode()
    assert "will assign an assessor" in page
