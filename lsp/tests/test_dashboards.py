"""Each role reaches its own dashboard and is refused the others; anonymous users log in."""

import pytest
from django.urls import reverse

from lsp.dashboards import DASHBOARDS
from lsp.models import Role

ALL = [(role, url_name) for role, url_name, _label in DASHBOARDS]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url_name"), ALL)
def test_role_reaches_its_own_dashboard(client_as, role, url_name):
    client = client_as(role)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url_name"), ALL)
def test_role_is_refused_every_other_dashboard(client_as, role, url_name):
    client = client_as(role)
    for other_role, other_url in ALL:
        if other_role == role:
            continue
        response = client.get(reverse(other_url))
        assert response.status_code == 403, (role, other_url)
        assert "403" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["dashboard"] + [url for _role, url in ALL])
def test_anonymous_is_sent_to_login(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_dashboard_redirects_to_the_first_role(client_as):
    client = client_as(Role.ASSESSOR, Role.TECHNICAL_TEAM)
    response = client.get(reverse("dashboard"))
    assert response["Location"] == reverse("dashboard-assessor")
    page = client.get(reverse("dashboard-assessor")).content.decode()
    # The navigation offers both of the person's dashboards, and no other.
    assert reverse("dashboard-technical-team") in page
    assert reverse("dashboard-staff") not in page


@pytest.mark.django_db
def test_dashboards_refuse_post(client_as):
    client = client_as(Role.STAFF)
    assert client.post(reverse("dashboard-staff")).status_code == 405
