"""The scheme's sanction policy (9.5.2) travels in the scheme file: set by the seeds, exported, imported, and deleted
with a scheme nobody uses. How the policy is applied is tested with the sanctions (certificates app)."""

import json

import pytest
from django.urls import reverse

from certificates.models import SanctionPolicy
from schemes.models import Scheme
from schemes.services import SchemeImportError, scheme_export, scheme_import

from .snapshots import row_counts

pytestmark = pytest.mark.usefixtures("english_messages")


def _policy(scheme):
    policy = SanctionPolicy.objects.get(scheme=scheme)
    return {
        "direct_suspension_allowed": policy.direct_suspension_allowed,
        "direct_revocation_allowed": policy.direct_revocation_allowed,
        "warnings_before_revocation": policy.warnings_before_revocation,
        "clause": policy.clause,
    }


def _file(scheme, **policy_changes):
    data = json.loads(json.dumps(scheme_export(scheme=scheme)))
    data["scheme"]["document_number"] = "SCM.NEW/LSP.TMI"
    data["scheme"]["sanction_policy"].update(policy_changes)
    return data


def test_seeds_let_tmi_suspend_and_revoke_directly_9_5_2(tmi):
    # LSP TMI 9.5.2: "pembekuan dan pencabutan sertifikat secara langsung atau melalui tahapan peringatan".
    assert _policy(tmi) == {
        "direct_suspension_allowed": True,
        "direct_revocation_allowed": True,
        "warnings_before_revocation": 1,
        "clause": "9.5.2",
    }


def test_seeds_let_renbang_revoke_only_after_an_ignored_warning_9_5_2(renbang):
    # LSP Renbang 9.5.2: "pencabutan sertifikat apabila pemegang sertifikat tidak mengindahkan peringatan";
    # suspension on a proven ground (9.5.1) needs no warning.
    assert _policy(renbang) == {
        "direct_suspension_allowed": True,
        "direct_revocation_allowed": False,
        "warnings_before_revocation": 1,
        "clause": "9.5.2",
    }


def test_the_policy_is_exported_and_imported_with_the_scheme(tmi):
    imported = scheme_import(data=_file(tmi, direct_suspension_allowed=False, warnings_before_revocation=2))
    assert _policy(imported) == {
        "direct_suspension_allowed": False,
        "direct_revocation_allowed": True,
        "warnings_before_revocation": 2,
        "clause": "9.5.2",
    }
    assert scheme_export(scheme=imported)["scheme"]["sanction_policy"] == _policy(imported)


def test_a_file_without_a_policy_leaves_the_scheme_on_the_default(tmi):
    data = _file(tmi)
    del data["scheme"]["sanction_policy"]
    imported = scheme_import(data=data)
    assert not SanctionPolicy.objects.filter(scheme=imported).exists()
    assert "sanction_policy" not in scheme_export(scheme=imported)["scheme"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"warnings_before_revocation": 0}, "sanction policy (warnings_before_revocation)"),
        ({"direct_revocation_allowed": "ya"}, "sanction policy (direct_revocation_allowed): must be true or false."),
        ({"warn_by_post": True}, "sanction policy: unknown fields: warn_by_post."),
    ],
)
def test_a_bad_policy_refuses_the_whole_file(tmi, change, reason):
    before = row_counts()
    policies = SanctionPolicy.objects.count()
    with pytest.raises(SchemeImportError) as refused:
        scheme_import(data=_file(tmi, **change))
    assert any(item.startswith(reason) for item in refused.value.reasons), refused.value.reasons
    assert row_counts() == before and SanctionPolicy.objects.count() == policies


def test_the_policy_is_no_use_of_the_scheme(renbang):
    assert SanctionPolicy.objects.filter(scheme=renbang).exists()
    assert not renbang.is_in_use()


def test_deleting_a_scheme_nobody_uses_deletes_its_policy_after_confirming(admin_client, settings, renbang):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    changelist = reverse("admin:schemes_scheme_changelist")
    confirm = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [str(renbang.pk)]})
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "protected" not in page
    assert "Sanction policy of a scheme" in page
    assert SanctionPolicy.objects.filter(scheme=renbang).exists()  # nothing goes before the admin confirms

    done = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [str(renbang.pk)], "post": "yes"}
    )
    assert done.status_code == 302
    assert not Scheme.objects.filter(pk=renbang.pk).exists()
    assert not SanctionPolicy.objects.filter(scheme_id=renbang.pk).exists()


def test_the_delete_page_of_a_scheme_nobody_uses_deletes_its_policy(admin_client, settings, renbang):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:schemes_scheme_delete", args=[renbang.pk])
    page = admin_client.get(url).content.decode()
    assert "Sanction policy of a scheme" in page and "protected" not in page
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Scheme.objects.filter(pk=renbang.pk).exists()
    assert not SanctionPolicy.objects.filter(scheme_id=renbang.pk).exists()
