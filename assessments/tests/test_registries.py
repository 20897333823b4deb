"""Assessor and TUK registries: who may be assigned (9.2.2) and where tests may be held (9.3.2)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.models import Assessor, Tuk, TukVerification
from assessments.selectors import assessors_eligible, tuks_verified
from lsp.errors import DomainError, NotAllowed
from lsp.models import AuditEvent, Role
from schemes.models import Scheme

D = datetime.date


@pytest.fixture
def schemes(db):
    call_command("load_seed_schemes", verbosity=0)
    return Scheme.objects.get(document_number="SCM.009A/LSP.TMI"), Scheme.objects.get(
        document_number="SKM/02/KLS/VIII/2020"
    )


@pytest.fixture
def tuk(make_user):
    staff = make_user(Role.STAFF)
    return services.tuk_create(
        actor=staff, name="TUK Politeknik", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Mawar 1", contact_person="Pak Joko"
    )


def _assessor(make_user, scheme, valid_until, active=True):
    assessor = Assessor.objects.create(
        user=make_user(Role.ASSESSOR), met_number=f"MET.{valid_until:%Y%m%d}.{scheme.pk}.{active}",
        registration_valid_until=valid_until, is_active=active,
    )
    assessor.schemes.add(scheme)
    return assessor


class TestAssessorEligibility:
    def test_only_registered_competent_active_assessors_for_the_scheme_9_2_2(self, schemes, make_user):
        tmi, renbang = schemes
        ok = _assessor(make_user, tmi, D(2027, 1, 1))
        _assessor(make_user, tmi, D(2026, 11, 30))  # registration expired before the day
        _assessor(make_user, tmi, D(2027, 1, 1), active=False)
        _assessor(make_user, renbang, D(2027, 1, 1))  # other scheme
        assert list(assessors_eligible(scheme=tmi, on=D(2026, 12, 1))) == [ok]
        assert ok.can_assess(tmi, on=D(2026, 12, 1))
        assert not ok.can_assess(renbang, on=D(2026, 12, 1))
        assert not ok.can_assess(tmi, on=D(2027, 1, 2))


class TestTukVerification:
    def test_verified_tuk_hosts_tests_only_within_validity_9_3_2(self, tuk, make_user):
        staff = make_user(Role.STAFF)
        assert not tuk.is_verified_on(D(2026, 12, 1))
        services.tuk_verify(
            actor=staff, tuk_id=tuk.pk, verified_on=D(2026, 11, 1), valid_until=D(2027, 10, 31),
            checklist_notes="Ruang, peralatan, APD lengkap",
        )
        assert tuk.is_verified_on(D(2026, 12, 1))
        assert not tuk.is_verified_on(D(2027, 11, 1))
        assert not tuk.is_verified_on(D(2026, 10, 31))
        assert list(tuks_verified(on=D(2026, 12, 1))) == [tuk]
        event = AuditEvent.objects.get(action="tuk.verify")
        assert (event.from_state, event.to_state, event.actor) == ("unverified", "verified until 2027-10-31", staff)

    def test_refused_for_a_non_staff_actor(self, tuk, make_user):
        with pytest.raises(NotAllowed):
            services.tuk_verify(
                actor=make_user(Role.ASSESSOR), tuk_id=tuk.pk, verified_on=D(2026, 11, 1),
                valid_until=D(2027, 1, 1), checklist_notes="x",
            )
        assert not TukVerification.objects.exists()

    @pytest.mark.parametrize(
        ("verified_on", "valid_until", "notes"),
        [(D(2026, 11, 2), D(2026, 11, 1), "ok"), (D(2026, 11, 1), D(2027, 1, 1), "   ")],
    )
    def test_refused_with_bad_dates_or_no_notes(self, tuk, make_user, verified_on, valid_until, notes):
        with pytest.raises(DomainError):
            services.tuk_verify(
                actor=make_user(Role.STAFF), tuk_id=tuk.pk, verified_on=verified_on, valid_until=valid_until,
                checklist_notes=notes,
            )
        assert not TukVerification.objects.exists()


class TestViews:
    def test_staff_verify_a_tuk_through_the_page(self, client_as, tuk):
        client = client_as(Role.STAFF)
        url = reverse("assessments:tuk-detail", args=[tuk.pk])
        assert "Belum terverifikasi" in client.get(url).content.decode()
        response = client.post(
            url, {"verified_on": "2026-11-01", "valid_until": "2099-10-31", "checklist_notes": "Lengkap"}
        )
        assert response.status_code == 302
        assert "Terverifikasi" in client.get(url).content.decode()

    def test_bad_dates_show_a_message_and_store_nothing(self, client_as, tuk):
        client = client_as(Role.STAFF)
        response = client.post(
            reverse("assessments:tuk-detail", args=[tuk.pk]),
            {"verified_on": "2026-11-02", "valid_until": "2026-11-01", "checklist_notes": "x"},
        )
        assert response.status_code == 200
        assert "tidak dapat berakhir sebelum" in response.content.decode()
        assert not TukVerification.objects.exists()

    @pytest.mark.parametrize("role", [Role.APPLICANT, Role.ASSESSOR, Role.TECHNICAL_TEAM, Role.APPEAL_TEAM])
    def test_registries_are_refused_to_other_roles(self, client_as, tuk, role):
        client = client_as(role)
        for url in [reverse("assessments:tuk-list"), reverse("assessments:tuk-detail", args=[tuk.pk]),
                    reverse("assessments:tuk-create"), reverse("assessments:assessor-list")]:
            assert client.get(url).status_code == 403

    def test_create_a_tuk(self, client_as):
        client = client_as(Role.STAFF)
        response = client.post(
            reverse("assessments:tuk-create"),
            {"name": "TUK Pabrik", "tuk_type": "tempat_kerja", "address": "Kawasan Industri", "contact_person": "Bu Sri"},
        )
        tuk = Tuk.objects.get(name="TUK Pabrik")
        assert response["Location"] == reverse("assessments:tuk-detail", args=[tuk.pk])
        assert AuditEvent.objects.filter(action="tuk.create", object_id=str(tuk.pk)).exists()


def test_registries_are_paged_by_fifty(client, staff, tuk):
    Tuk.objects.bulk_create(
        Tuk(name=f"TUK {n:02}", tuk_type=Tuk.Type.SEWAKTU, address="Jl. Melati", contact_person="Bu Rina")
        for n in range(50)
    )
    client.force_login(staff)
    first = client.get(reverse("assessments:tuk-list"))
    assert first.context["page"].paginator.count == 51
    assert len(first.context["page"].object_list) == 50
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("assessments:tuk-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert 'href="?page=1"' in second.content.decode()
