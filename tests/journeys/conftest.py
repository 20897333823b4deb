"""Fixtures of the full-lifecycle journeys: what an admin sets up before the first applicant arrives (schemes,
bank account, signatory, certificate numbering, assessors, a TUK), one browser context per person, and the
accessibility audit of the pages they visit."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessor, Tuk
from certificates.models import CertificateSeries, Signatory
from lsp.models import Organisation, Role
from lsp.tests.factories import TEST_PASSWORD
from schemes.models import Scheme

from .support import AxeAudit, log_in

TMI = "SCM.009A/LSP.TMI"
RENBANG = "SKM/02/KLS/VIII/2020"
ARTIFACTS = "test-artifacts"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as an inline script, which the portal's strict CSP would refuse.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def axe(request, pytestconfig):
    """axe-core over the pages of a journey; its findings go to test-artifacts/<test>/axe-report.json."""
    return AxeAudit(pytestconfig.rootpath / ARTIFACTS / request.node.name / "axe-report.json")


@pytest.fixture
def lsp_ready(settings, live_server):
    """The LSP as its admin leaves it before the first application: the seed schemes, the bank account for
    transfers, who signs certificates and how they are numbered."""
    settings.SITE_URL = live_server.url  # the QR code on the certificate points at this server
    call_command("load_seed_schemes", verbosity=0)
    organisation = Organisation.current()
    organisation.name = "LSP Teknik dan Manajemen Industri"
    organisation.address = "Jl. Industri No. 5, Bandung"
    organisation.bank_name, organisation.bank_account_number = "Bank Mandiri", "1230004567890"
    organisation.bank_account_name = "LSP TMI"
    organisation.save()
    Signatory.objects.create(
        name="Ir. Catur Hernanto, MM", position="Ketua LSP", position_en="Chair", signs_certificates=True
    )
    CertificateSeries.objects.create(kbli="70209", kbji="2141", level="6")
    return {"tmi": Scheme.objects.get(document_number=TMI), "renbang": Scheme.objects.get(document_number=RENBANG)}


@pytest.fixture
def registered_assessor(make_user):
    """An assessor in the LSP's registry (No. Reg. MET…), competent for the given schemes."""

    def make(schemes, **fields):
        user = make_user(Role.ASSESSOR, **fields)
        assessor = Assessor.objects.create(
            user=user, met_number=f"MET.000.{user.pk:06d}",
            registration_valid_until=timezone.localdate() + datetime.timedelta(days=365),
        )
        assessor.schemes.set(schemes)
        return assessor

    return make


@pytest.fixture
def tuk():
    """A TUK the admin entered in the registry, not yet verified."""
    return Tuk.objects.create(
        name="TUK Politeknik Manufaktur", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Mawar 1", city="Bandung",
        contact_person="Pak Joko",
    )


@pytest.fixture
def open_as(browser, browser_context_args, live_server):
    """A page in a browser context of its own, logged in as ``user`` (one person, one browser); anonymous when
    ``user`` is None."""
    contexts = []

    def open_page(user=None, password=TEST_PASSWORD):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        if user is not None:
            log_in(page, live_server.url, user.email, password)
        return page

    yield open_page
    for context in contexts:
        context.close()
