"""Fixtures of the certificates tests: a candidate with a submitted recommendation, the technical team,
and each step of the decision stage, all made through the real services."""

import pytest
from django.utils import translation

from certificates import services
from certificates.models import Decision, SanctionPolicy
from lsp.models import Role
from schemes.selectors import scheme_suspension_grounds

from .helpers import (
    close_and_letter,
    convene,
    decide,
    file_appeal,
    load_tmi,
    make_assessor,
    make_schedule,
    make_tuk,
    numbering_setup,
    organisation_setup,
    submitted_record,
)


@pytest.fixture(autouse=True)
def _english(settings, client):
    """Messages are checked in English (the msgids); the Indonesian catalogue is filled in separately."""
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        yield


@pytest.fixture
def tmi(db):
    return load_tmi()


@pytest.fixture
def organisation(db):
    return organisation_setup()


@pytest.fixture
def series(db):
    return numbering_setup()


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF, full_name="Rina Staf")


@pytest.fixture
def candidate(make_user):
    return make_user(Role.APPLICANT, full_name="Ani Wijaya", email="ani@example.test")


@pytest.fixture
def assessor(make_user, tmi):
    return make_assessor(make_user, [tmi], full_name="Budi Asesor")


@pytest.fixture
def chair(make_user):
    return make_user(Role.TECHNICAL_TEAM, full_name="Dewi Ketua")


@pytest.fixture
def member(make_user):
    return make_user(Role.TECHNICAL_TEAM, full_name="Eko Anggota")


@pytest.fixture
def tuk(staff):
    return make_tuk(staff)


@pytest.fixture
def schedule(staff, tmi, tuk, assessor):
    return make_schedule(staff, tmi, tuk, [assessor])


@pytest.fixture
def record(candidate, staff, tmi, assessor, schedule, tuk, organisation):
    """Ani Wijaya's submitted "Kompeten" recommendation."""
    return submitted_record(candidate=candidate, staff=staff, scheme=tmi, assessor=assessor, schedule=schedule, tuk=tuk)


@pytest.fixture
def bk_record(make_user, staff, tmi, assessor, schedule, tuk, organisation):
    """Another candidate's submitted "Belum Kompeten" recommendation."""
    other = make_user(Role.APPLICANT, full_name="Budi Belum", email="budi@example.test")
    return submitted_record(
        candidate=other, staff=staff, scheme=tmi, assessor=assessor, schedule=schedule, tuk=tuk, verdict="BK"
    )


@pytest.fixture
def meeting(staff, chair, member, record):
    return convene(staff, chair, [record], members=[member])


@pytest.fixture
def decision(meeting, member, record):
    return decide(member, meeting, record)


@pytest.fixture
def letter(staff, meeting, decision, series, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return close_and_letter(staff, meeting)


@pytest.fixture
def certificate(staff, decision, letter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(actor=staff, decision=decision)
    certificate.refresh_from_db()
    return certificate


# --- after issue: appeals, sanctions, surveillance, re-certification ----------------------------------


@pytest.fixture
def appeal_member(make_user):
    return make_user(Role.APPEAL_TEAM, full_name="Sari Banding", preferred_language="en")


@pytest.fixture
def appeal_member2(make_user):
    return make_user(Role.APPEAL_TEAM, full_name="Tono Banding", preferred_language="en")


@pytest.fixture
def bk_decision(staff, chair, member, bk_record, series, django_capture_on_commit_callbacks):
    """Budi Belum's "sertifikat tidak diberikan", communicated when the meeting closed (the appeal window opens)."""
    bk_record.application.applicant.preferred_language = "en"
    bk_record.application.applicant.save(update_fields=["preferred_language"])
    meeting = convene(staff, chair, [bk_record], members=[member])
    decision = decide(member, meeting, bk_record, Decision.Outcome.NOT_GRANTED, notes="Bukti belum memadai")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(actor=staff, meeting=meeting)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def appellant(bk_decision):
    return bk_decision.application.applicant


@pytest.fixture
def appeal(bk_decision, appellant):
    return file_appeal(appellant, bk_decision)


@pytest.fixture
def received_appeal(appeal, staff):
    return services.appeal_receive(actor=staff, appeal=appeal)


@pytest.fixture
def panel_appeal(received_appeal, staff, appeal_member):
    return services.appeal_panel_form(actor=staff, appeal=received_appeal, members=[appeal_member])


@pytest.fixture
def tmi_direct_policy(tmi):
    """LSP TMI 9.5.2: "secara langsung atau melalui tahapan peringatan" — direct suspension and revocation, as the
    seed file sets it."""
    policy = SanctionPolicy.objects.get(scheme=tmi)
    assert policy.direct_suspension_allowed and policy.direct_revocation_allowed
    return policy


@pytest.fixture
def holder(certificate, candidate):
    candidate.preferred_language = "en"
    candidate.save(update_fields=["preferred_language"])
    return candidate


@pytest.fixture
def ground(tmi):
    return scheme_suspension_grounds(scheme=tmi).first()


@pytest.fixture
def case(staff, certificate, ground, holder):
    return services.sanction_case_open(
        actor=staff, certificate=certificate, ground=ground, description="Sertifikat dipakai di luar ruang lingkupnya"
    )
