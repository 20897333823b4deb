"""Indonesian first, English second; friendly error pages in both."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.django_db
def test_home_is_indonesian_by_default_and_english_on_request(client):
    page = client.get(reverse("home")).content.decode()
    assert 'lang="id"' in page
    assert "Sertifikasi kompetensi profesi" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page
    assert "Professional competency certification" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("id", "Halaman tidak ditemukan"), ("en", "Page not found")])
def test_404_page_speaks_the_users_language(client, language, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_500_page_is_friendly(client, settings):
    from lsp.views.errors import server_error

    request = client.get(reverse("home")).wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_catalogue_has_every_message_translated(language):
    """Locale smoke test: no empty or fuzzy entry in either catalogue."""
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    assert len(entries) > 100
    # An empty msgstr (or msgstr[0]) not continued on the next line is an untranslated entry.
    empty = re.compile(r'^msgstr(\[\d+\])? ""$(?!\n")', re.MULTILINE)
    untranslated = [e for e in entries if empty.search(e) or "#, fuzzy" in e]
    assert untranslated == []
