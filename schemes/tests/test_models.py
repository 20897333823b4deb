"""Model rules: unit codes (5), database constraints, and finding outside references to a scheme."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from schemes.models import SCHEMES_APP_LABEL, Scheme, Unit, external_relations
from schemes.validators import validate_unit_code

SEED_UNIT_CODES = [
    "C.281930.002.01",
    "M.702092.009.01",
    "C.290MM01.014.1",
    "M.702090.012.02",
    "M.702090.008.02",
    "M.702090.009.02",
    "M.702092.001.01",
    "M.702092.014.01",
    "C.281930.042.01",
    "C.281930.049.01",
    "O.84PPB01.007.1",
    "O.84PPB01.008.1",
]


@pytest.mark.parametrize("code", SEED_UNIT_CODES)
def test_every_seed_unit_code_is_accepted_section_5(code):
    validate_unit_code(code)


@pytest.mark.parametrize(
    "code",
    ["", "C281930.002.01", "c.281930.002.01", "C.28193.002.01", "C.281930.02.01", "C.281930.002.001",
     "C.281930.002.01 ", "C.281930-002-01", "CC.281930.002.01"],
)  # fmt: skip
def test_malformed_unit_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_unit_code(code)


def test_database_refuses_a_negative_fee(tmi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scheme.objects.filter(pk=tmi.pk).update(fee=-1)


def test_database_refuses_a_zero_parameter(tmi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scheme.objects.filter(pk=tmi.pk).update(appeal_decision_working_days=0)


def test_database_refuses_a_duplicate_unit_code_in_one_scheme(tmi, renbang):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(scheme=tmi, code="C.281930.002.01", title="Duplikat")
    # The same code in another scheme is fine.
    Unit.objects.create(scheme=renbang, code="C.281930.002.01", title="Boleh")


def test_external_relations_come_only_from_other_apps():
    for model, relation, _path in external_relations():
        assert model._meta.app_label == SCHEMES_APP_LABEL
        assert relation.related_model._meta.app_label != SCHEMES_APP_LABEL
    # Relations between the app's own models (unit → scheme …) are never "use".
    own = {(m._meta.model_name, r.related_model._meta.model_name) for m, r, _ in external_relations()}
    assert ("scheme", "unit") not in own


@pytest.fixture
def borrower_model(transactional_db):
    """A model of another app with PROTECT foreign keys to a scheme and to a unit, as later apps have.

    Registered in the ``lsp`` app for this test only, with a real table, then removed again.
    """

    class SchemeBorrower(models.Model):
        # Hidden reverse relation ("+"): must still count.
        scheme = models.ForeignKey(Scheme, null=True, on_delete=models.PROTECT, related_name="+")
        unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="test_borrowers")

        class Meta:
            app_label = "lsp"

        def __str__(self):
            return f"borrower {self.pk}"

    apps.clear_cache()
    with connection.schema_editor() as editor:
        editor.create_model(SchemeBorrower)
    yield SchemeBorrower
    with connection.schema_editor() as editor:
        editor.delete_model(SchemeBorrower)
    del apps.all_models["lsp"]["schemeborrower"]
    apps.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_is_in_use_finds_a_new_apps_foreign_keys_without_code_changes(borrower_model):
    from django.core.management import call_command

    call_command("load_seed_schemes", verbosity=0)
    tmi = Scheme.objects.get(document_number="SCM.009A/LSP.TMI")
    renbang = Scheme.objects.get(document_number="SKM/02/KLS/VIII/2020")
    assert any(relation.related_model is borrower_model for _m, relation, _p in external_relations())
    assert not tmi.is_in_use()

    # A reference to a part of the scheme (here a unit) counts as well as one to the scheme.
    borrower = borrower_model.objects.create(unit=tmi.units.first())
    assert tmi.is_in_use()
    assert not renbang.is_in_use()

    borrower.unit = None
    borrower.scheme = renbang
    borrower.save()
    assert renbang.is_in_use()
    assert not tmi.is_in_use()
    borrower.delete()
