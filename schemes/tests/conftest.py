import pytest
from django.core.management import call_command

from schemes.models import Scheme

TMI_NUMBER = "SCM.009A/LSP.TMI"
RENBANG_NUMBER = "SKM/02/KLS/VIII/2020"


@pytest.fixture
def seed_schemes(db):
    """Both seed schemes, loaded the way `make setup` loads them."""
    call_command("load_seed_schemes", verbosity=0)
    return Scheme.objects.get(document_number=TMI_NUMBER), Scheme.objects.get(document_number=RENBANG_NUMBER)


@pytest.fixture
def tmi(seed_schemes):
    return seed_schemes[0]


@pytest.fixture
def renbang(seed_schemes):
    return seed_schemes[1]


@pytest.fixture
def english(client, settings):
    """The visitor chose English with the language switch (the portal ignores Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_messages():
    """Service messages checked against their English msgids, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield
