"""The authorisation matrix: every URL pattern of the project × every kind of visitor.

``MATRIX`` holds one entry per URL name: how to build its arguments from the world (``world.py``) and what each
principal (``answers.PRINCIPALS``) must get. The Django admin is covered by one group rule (``admin_sample``). A
URL pattern with neither fails ``test_every_url_pattern_has_a_matrix_entry``.

All requests are sent once, by the module fixture ``sweep``; each test reads what it needs from there:

* the answer of a GET (and of an empty POST, for views that only accept POST) per principal;
* 405 for the methods a view does not accept;
* a GET changes nothing (rows, files, queued tasks, mail);
* the owner's canaries never reach a principal who may not read them, and do reach one who may.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from .answers import (
    ADMIN_LOGIN,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    PRINCIPALS,
    answers,
    redirect,
)
from .probe import Requester, all_routes
from .world import CANARIES, PUBLIC_CANARIES

# The world lives in one module-wide transaction (conftest.py); the mark makes pytest-django set up the database.
pytestmark = pytest.mark.django_db

# --- the matrix -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One URL of a pattern, built from the world, and what each principal must get."""

    kwargs: Callable  # world -> URL kwargs
    get: dict  # principal -> Answer to a GET
    methods: tuple = ("GET",)  # what the view accepts; any other method must answer 405
    post: dict | None = None  # views that only accept POST: principal -> Answer to an empty POST
    label: str = ""


class Lit(str):
    """A URL argument taken as written, not looked up in the world."""


def _kwargs(refs):
    """URL kwargs from ``refs``: "name" is the pk of the world's object, "name.attr" its attribute; a ``Lit`` or a
    number is taken as it is, a function is called with the world."""

    def build(world):
        values = {}
        for key, ref in (refs or {}).items():
            if isinstance(ref, Lit):
                values[key] = str(ref)
            elif isinstance(ref, str) and "." in ref:
                name, attribute = ref.split(".", 1)
                values[key] = getattr(getattr(world, name), attribute)
            elif isinstance(ref, str):
                values[key] = getattr(world, ref).pk
            else:
                values[key] = ref(world) if callable(ref) else ref
        return values

    return build


def page(refs=None, *, methods=("GET",), label="", default=FORBIDDEN, anonymous=LOGIN, **who):
    """A page: GET (and maybe POST) with ``who`` as in ``answers``."""
    return Sample(_kwargs(refs), answers(default, anonymous, **who), methods, None, label)


def action(refs=None, *, label="", default=FORBIDDEN, anonymous=LOGIN, **who):
    """A view that only accepts POST: a GET is 405 for everyone; an empty POST answers as ``who`` says."""
    return Sample(
        _kwargs(refs), answers(NOT_ALLOWED, NOT_ALLOWED), ("POST",), answers(default, anonymous, **who), label
    )


PUBLIC = {"default": OK, "anonymous": OK}
A1 = {"pk": "application"}  # the owner's certified TMI application
R = {"pk": "recertification"}  # the owner's re-certification draft
ASSIGNMENT = {"pk": "assignment"}
MEETING = {"pk": "meeting"}
LETTER = {"pk": "letter"}
CERTIFICATE = {"pk": "certificate"}
CASE = {"pk": "case"}
APPEAL = {"pk": "appeal"}


def _owner_pages(*, methods=("GET",), locked=OK):
    """An applicant's step on the certified application (``locked``: it can no longer change) and on the draft."""
    return [
        page(A1, methods=methods, label="certified", owner=locked, other_applicant=NOT_FOUND),
        page(R, methods=methods, label="draft", owner=OK, other_applicant=NOT_FOUND),
    ]


TO_REVIEW = redirect("applicants:review", "application")
TO_SCHEDULE = redirect("assessments:schedule-detail", "schedule")
TO_MEETING = redirect("certificates:meeting-detail", "meeting")
TO_CERTIFICATE = redirect("certificates:certificate-detail", "certificate")
TO_CASE = redirect("certificates:sanction-detail", "case")
TO_APPEAL = redirect("certificates:appeal-detail", "appeal")
HOME = redirect("home")
DASHBOARD = redirect("dashboard")

MATRIX = {
    # --- the site, accounts, dashboards -----------------------------------------------------------
    "home": page(**PUBLIC),
    "login": page(methods=("GET", "POST"), default=DASHBOARD, anonymous=OK),
    "logout": action(default=HOME, anonymous=HOME),
    "register": page(methods=("GET", "POST"), default=DASHBOARD, anonymous=OK),
    # A link that is not valid sends everyone to the login page with a message.
    "verify-email": page(
        {"uidb64": Lit("MTIzNDU2Nzg"), "token": Lit("bad-token")}, default=redirect("login"), anonymous=redirect("login")
    ),
    "password_reset": page(methods=("GET", "POST"), **PUBLIC),
    "password_reset_done": page(**PUBLIC),
    "password_reset_confirm": page({"uidb64": Lit("MTIzNDU2Nzg"), "token": Lit("bad-token")}, methods=("GET", "POST"), **PUBLIC),
    "password_reset_complete": page(**PUBLIC),
    "dashboard": page(
        applicants=redirect("dashboard-applicant"), assessors=redirect("dashboard-assessor"),
        staff=redirect("dashboard-staff"), technical_team=redirect("dashboard-technical-team"),
        appeal_team=redirect("dashboard-appeal-team"), admin=redirect("dashboard-admin"),
    ),
    "dashboard-applicant": page(applicants=OK),
    "dashboard-assessor": page(assessors=OK),
    "dashboard-staff": page(staff=OK),  # the admin has their own dashboard
    "dashboard-technical-team": page(technical_team=OK),
    "dashboard-appeal-team": page(appeal_team=OK),
    "dashboard-admin": page(admin=OK),
    "object-history": page(
        {"app_label": Lit("applicants"), "model_name": Lit("application"), "pk": lambda w: str(w.application.pk)},
        lsp_staff=OK,
    ),
    "notifications": page(logged_in=OK),
    "set_language": action(default=HOME, anonymous=HOME),
    # --- the public catalogue ---------------------------------------------------------------------
    "schemes:list": page(**PUBLIC),
    "schemes:detail": page({"slug": "tmi.slug"}, **PUBLIC),
    "schemes:pdf": page({"slug": "tmi.slug"}, **PUBLIC),
    # --- applications (9.1) -----------------------------------------------------------------------
    "applicants:list": page(applicants=OK),
    # The owner's open TMI application (the re-certification draft) is resumed.
    "applicants:start": page(
        {"slug": "tmi.slug"}, methods=("GET", "POST"), owner=redirect("applicants:detail", "recertification"),
        other_applicant=OK,
    ),
    "applicants:detail": _owner_pages(),
    "applicants:personal": _owner_pages(methods=("GET", "POST"), locked=redirect("applicants:detail", "application")
    ),
    "applicants:work": _owner_pages(methods=("GET", "POST"), locked=redirect("applicants:detail", "application")),
    "applicants:purpose": _owner_pages(methods=("GET", "POST"), locked=redirect("applicants:detail", "application")
    ),
    "applicants:documents": _owner_pages(),
    "applicants:self-assessment": _owner_pages(methods=("GET", "POST")),
    "applicants:submit": _owner_pages(methods=("GET", "POST")),
    "applicants:invoice": page(A1, methods=("GET", "POST"), owner=OK, other_applicant=NOT_FOUND),
    "applicants:choose-alternative": action(
        A1, owner=redirect("applicants:documents", "application"), other_applicant=NOT_FOUND
    ),
    "applicants:upload-requirement": action(
        {"pk": "application", "requirement_id": lambda w: w.requirement_id},
        owner=redirect(lambda w: reverse("applicants:documents", args=[w.application.pk]) + f"#requirement-{w.requirement_id}"),
        other_applicant=NOT_FOUND,
    ),
    "applicants:remove-document": action(
        {"pk": "application", "uuid": "document.uuid"}, owner=redirect("applicants:documents", "application"),
        other_applicant=NOT_FOUND,
    ),
    "applicants:upload-evidence": action(
        A1, owner=redirect("applicants:self-assessment", "application"), other_applicant=NOT_FOUND
    ),
    "applicants:withdraw": action(A1, owner=redirect("applicants:detail", "application"), other_applicant=NOT_FOUND),
    # Files and PDFs: whoever may see the application (owner, staff, its assessor, the team of an appeal on it).
    "applicants:document": [
        page({"uuid": "document.uuid"}, label="certified application", default=NOT_FOUND, owner=OK, lsp_staff=OK,
             assessor=OK),
        page({"uuid": "appealed_document.uuid"}, label="appealed application", default=NOT_FOUND, owner=OK,
             lsp_staff=OK, assessor=OK, appeal=OK),
    ],
    "applicants:pdf": [
        page({"pk": "application", "form": Lit("apl01")}, label="APL-01 certified", default=NOT_FOUND, owner=OK,
             lsp_staff=OK, assessor=OK),
        page({"pk": "appealed_application", "form": Lit("apl02")}, label="APL-02 appealed", default=NOT_FOUND, owner=OK,
             lsp_staff=OK, assessor=OK, appeal=OK),
    ],
    "applicants:questions": page(methods=("GET", "POST"), applicants=OK, lsp_staff=OK),
    "applicants:question": page(
        {"pk": "question"}, methods=("GET", "POST"), owner=OK, other_applicant=NOT_FOUND, lsp_staff=OK
    ),
    "applicants:review-queue": page(lsp_staff=OK),
    "applicants:review": page(A1, lsp_staff=OK),
    "applicants:review-document": action({"pk": "application", "uuid": "document.uuid"}, lsp_staff=TO_REVIEW),
    "applicants:request-revision": action(A1, lsp_staff=TO_REVIEW),
    "applicants:accept": action(A1, lsp_staff=TO_REVIEW),
    "applicants:reject": action(A1, lsp_staff=TO_REVIEW),
    "applicants:payment-verify": action(A1, lsp_staff=TO_REVIEW),
    "applicants:payment-reject": action(A1, lsp_staff=TO_REVIEW),
    "applicants:payment-sponsor": action(A1, lsp_staff=TO_REVIEW),
    # --- assessment (9.2, 9.3) --------------------------------------------------------------------
    "assessments:tuk-list": page(lsp_staff=OK),
    "assessments:tuk-create": page(methods=("GET", "POST"), lsp_staff=OK),
    "assessments:tuk-detail": page({"pk": "tuk"}, methods=("GET", "POST"), lsp_staff=OK),
    "assessments:assessor-list": page(lsp_staff=OK),
    "assessments:schedule-list": page(lsp_staff=OK),
    "assessments:schedule-create": page(methods=("GET", "POST"), lsp_staff=OK),
    "assessments:schedule-detail": page({"pk": "schedule"}, lsp_staff=OK),
    "assessments:schedule-add-candidate": action({"pk": "schedule"}, lsp_staff=TO_SCHEDULE),
    "assessments:schedule-cancel": action({"pk": "schedule"}, lsp_staff=TO_SCHEDULE),
    # FR.AK.05: staff, or an assessor with a candidate in the session.
    "assessments:schedule-report-pdf": page({"pk": "schedule"}, default=NOT_FOUND, lsp_staff=OK, assessor=OK),
    "assessments:assignment-assign": action(ASSIGNMENT, lsp_staff=TO_SCHEDULE),
    "assessments:assignment-remove": action(ASSIGNMENT, lsp_staff=TO_SCHEDULE),
    "assessments:record-detail": page({"pk": "record"}, lsp_staff=OK),
    "assessments:record-reopen": action({"pk": "record"}, lsp_staff=redirect("assessments:record-detail", "record")),
    # FR.AK.02: staff, the record's assessor, the candidate it is about.
    "assessments:record-pdf": page({"pk": "record"}, default=NOT_FOUND, owner=OK, assessor=OK, lsp_staff=OK),
    "assessments:assessor-home": page(assessors=OK),
    "assessments:workspace": page(ASSIGNMENT, assessor=OK, other_assessor=NOT_FOUND),
    "assessments:declare": action(
        ASSIGNMENT, assessor=redirect("assessments:workspace", "assignment"), other_assessor=NOT_FOUND
    ),
    "assessments:evidence-review": page(ASSIGNMENT, methods=("GET", "POST"), assessor=OK, other_assessor=NOT_FOUND),
    "assessments:plan": page(ASSIGNMENT, methods=("GET", "POST"), assessor=OK, other_assessor=NOT_FOUND),
    "assessments:results": page(ASSIGNMENT, assessor=OK, other_assessor=NOT_FOUND),
    "assessments:unit-result": page(
        {"pk": "assignment", "position": 1}, methods=("GET", "POST"), assessor=OK, other_assessor=NOT_FOUND
    ),
    "assessments:submit": action(
        ASSIGNMENT, assessor=redirect("assessments:results", "assignment"), other_assessor=NOT_FOUND
    ),
    "assessments:candidate-list": page(applicants=OK),
    "assessments:candidate-detail": page(ASSIGNMENT, owner=OK, other_applicant=NOT_FOUND),
    "assessments:candidate-agree": action(
        ASSIGNMENT, owner=redirect("assessments:candidate-detail", "assignment"), other_applicant=NOT_FOUND
    ),
    "assessments:candidate-feedback": action(
        ASSIGNMENT, owner=redirect("assessments:candidate-detail", "assignment"), other_applicant=NOT_FOUND
    ),
    # --- decision (9.4): meetings are for staff and their own members ------------------------------
    "certificates:meeting-list": page(lsp_staff=OK, technical_team=OK),
    "certificates:meeting-create": page(methods=("GET", "POST"), lsp_staff=OK),
    "certificates:meeting-detail": page(MEETING, lsp_staff=OK, technical=OK, technical_other=NOT_FOUND),
    # Only the members decide (9.4.2); staff convene.
    "certificates:decide": page(
        {"pk": "meeting", "record_pk": "record"}, methods=("GET", "POST"), technical=OK, technical_other=NOT_FOUND
    ),
    "certificates:declare-conflict": action(
        {"pk": "meeting", "record_pk": "record"}, technical=TO_MEETING, technical_other=NOT_FOUND
    ),
    "certificates:meeting-close": action(MEETING, lsp_staff=TO_MEETING, technical=TO_MEETING, technical_other=NOT_FOUND),
    "certificates:minutes-pdf": page(MEETING, lsp_staff=OK, technical=OK, technical_other=NOT_FOUND),
    "certificates:letter-create": action(MEETING, lsp_staff=TO_MEETING),
    # --- SK, certificates, BNSP reporting: staff ----------------------------------------------------
    "certificates:letter-list": page(lsp_staff=OK),
    "certificates:letter-detail": page(LETTER, lsp_staff=OK),
    # The bulk issuance starts and its progress page follows it (the one certificate is already issued).
    "certificates:letter-issue": action(LETTER, lsp_staff=redirect("certificates:letter-progress", "letter")),
    "certificates:letter-progress": page(LETTER, lsp_staff=OK),
    "certificates:letter-pdf": page(LETTER, lsp_staff=OK),
    "certificates:letter-package": page(LETTER, lsp_staff=OK),
    "certificates:letter-import-numbers": action(LETTER, lsp_staff=redirect("certificates:letter-detail", "letter")),
    "certificates:certificate-list": page(lsp_staff=OK),
    "certificates:certificate-detail": page(CERTIFICATE, lsp_staff=OK),
    "certificates:certificate-numbers": action(CERTIFICATE, lsp_staff=TO_CERTIFICATE),
    "certificates:certificate-handover": action(CERTIFICATE, lsp_staff=TO_CERTIFICATE),
    "certificates:certificate-pdf": page(CERTIFICATE, lsp_staff=OK),
    "certificates:sanction-open": page(CERTIFICATE, methods=("GET", "POST"), lsp_staff=OK),
    "certificates:recertification-override": action(CERTIFICATE, lsp_staff=TO_CERTIFICATE),
    # --- the holder (9.8, 9.7, 9.6) and their appeal (9.9) -------------------------------------------
    "certificates:my-list": page(applicants=OK),
    "certificates:my-certificate": page(CERTIFICATE, methods=("GET", "POST"), owner=OK, other_applicant=NOT_FOUND),
    "certificates:my-certificate-download": page(
        CERTIFICATE, methods=("GET", "POST"), owner=OK, other_applicant=NOT_FOUND
    ),
    "certificates:recertify": page(
        CERTIFICATE, methods=("GET", "POST"), owner=redirect("applicants:detail", "recertification"),
        other_applicant=NOT_FOUND,
    ),
    "certificates:my-surveillance": page(
        {"pk": "surveillance"}, methods=("GET", "POST"), owner=OK, other_applicant=NOT_FOUND
    ),
    "certificates:appeal-file": [
        # The appealed decision leads to its appeal; the granted one shows why it cannot be appealed.
        page({"pk": "bk_decision"}, methods=("GET", "POST"), label="appealed decision",
             owner=redirect("certificates:my-appeal", "appeal"), other_applicant=NOT_FOUND),
        page({"pk": "decision"}, methods=("GET", "POST"), label="granted decision", owner=OK,
             other_applicant=NOT_FOUND),
    ],
    "certificates:my-appeal": page(APPEAL, owner=OK, other_applicant=NOT_FOUND),
    "certificates:my-appeal-withdraw": action(
        APPEAL, owner=redirect("certificates:my-appeal", "appeal"), other_applicant=NOT_FOUND
    ),
    # --- after issue, staff: surveillance (9.6), sanctions (9.5) ------------------------------------
    "certificates:surveillance-list": page(lsp_staff=OK),
    "certificates:surveillance-detail": page({"pk": "surveillance"}, methods=("GET", "POST"), lsp_staff=OK),
    "certificates:surveillance-file": page(
        {"pk": "surveillance", "uuid": "surveillance_file.uuid"}, default=NOT_FOUND, owner=OK, lsp_staff=OK
    ),
    "certificates:sanction-list": page(lsp_staff=OK),
    "certificates:sanction-detail": page(CASE, lsp_staff=OK),
    "certificates:sanction-warn": action(CASE, lsp_staff=TO_CASE),
    "certificates:sanction-suspend": action(CASE, lsp_staff=TO_CASE),
    "certificates:sanction-reinstate": action(CASE, lsp_staff=TO_CASE),
    "certificates:sanction-revoke": action(CASE, lsp_staff=TO_CASE),
    "certificates:sanction-close": action(CASE, lsp_staff=TO_CASE),
    "certificates:sanction-return": action({"pk": "case", "step_pk": "step"}, lsp_staff=TO_CASE),
    # --- appeals (9.9): staff, and the members of the appeal's own team -------------------------------
    "certificates:appeal-list": page(lsp_staff=OK, appeal_team=OK),
    "certificates:appeal-detail": page(APPEAL, lsp_staff=OK, appeal=OK, appeal_other=NOT_FOUND),
    "certificates:appeal-receive": action(APPEAL, lsp_staff=TO_APPEAL),
    "certificates:appeal-panel": action(APPEAL, lsp_staff=TO_APPEAL),
    "certificates:appeal-decide": action(APPEAL, appeal=TO_APPEAL, appeal_other=NOT_FOUND),
    "certificates:appeal-issue": action(APPEAL, lsp_staff=TO_APPEAL),
    "certificates:appeal-reassess": action(APPEAL, lsp_staff=TO_APPEAL),
    "certificates:appeal-attachment": page(
        {"pk": "appeal", "uuid": "appeal_attachment.uuid"}, default=NOT_FOUND, owner=OK, lsp_staff=OK, appeal=OK
    ),
    # --- public verification ------------------------------------------------------------------------
    "verify:search": page(**PUBLIC),
    "verify:code": [
        page({"code": "certificate.verification_code"}, label="the certificate", **PUBLIC),
        page({"code": Lit("tidak-ada")}, label="an unknown code", default=NOT_FOUND, anonymous=NOT_FOUND),
    ],
}


# --- the group rule of the Django admin -------------------------------------------------------------

# Every admin URL is for Django admin users only (``is_staff``): the admin principal. Anyone else, LSP staff
# included, is sent to the admin's login page, except on that page itself and on the logout URL (sent to the
# admin's index, which sends them to the login page). The admin gets 200, except where the ModelAdmin refuses
# adding or deleting to everyone (records written through the portal are read-only there).
ADMIN_NAMESPACE = "admin"
ADMIN_ANSWERS = {
    "admin:login": answers(OK, OK, admin=redirect("admin:index")),
    "admin:logout": answers(redirect("admin:index"), redirect("admin:index"), admin=NOT_ALLOWED),  # POST only
}
ADMIN_FOR_ADMIN = {
    "admin:autocomplete": FORBIDDEN,  # a bare request names no field to complete
    "admin:view_on_site": NOT_FOUND,  # no model has a page of its own on the site (get_absolute_url)
}
CATCH_ALL = "(?P<url>.*)$"


def _admin_model(route):
    parts = route.route.split("/")
    if len(parts) > 3 and parts[0] == "admin":
        try:
            return apps.get_model(parts[1], parts[2])
        except LookupError:
            return None
    return None


def _admin_object(model, world):
    if model._meta.label == "lsp.User":
        return world.users["owner"]
    found = model._default_manager.order_by("pk").first()
    if found is None:
        raise LookupError(f"the world has no {model._meta.label} to open in the admin")
    return found


def _admin_kwargs(route, model, world):
    if route.route.endswith(CATCH_ALL):
        return {"path": "/admin/no-such-page/"}
    values = {}
    if "content_type_id" in route.route:
        values = {"content_type_id": ContentType.objects.get_for_model(world.tmi).pk, "object_id": world.tmi.pk}
    elif "<path:object_id>" in route.route:
        values["object_id"] = _admin_object(model, world).pk
    elif "<id>" in route.route:
        values["id"] = _admin_object(model, world).pk
    if "app_label" in route.route:
        values["app_label"] = "lsp"
    if route.name is None:  # the old change URL without "change/": fill the route in by hand
        path = "/" + route.route
        for key, value in values.items():
            path = path.replace(f"<path:{key}>", str(value))
        return {"path": path}
    return values


def _admin_answer(route, model, world):
    """What the admin principal gets."""
    if route.key in ADMIN_FOR_ADMIN:
        return ADMIN_FOR_ADMIN[route.key]
    if route.route.endswith(CATCH_ALL):
        return NOT_FOUND
    if route.name is None:  # ".../<pk>/" leads to ".../<pk>/change/"
        meta = model._meta
        return redirect(f"admin:{meta.app_label}_{meta.model_name}_change", lambda w: _admin_object(model, w).pk)
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        request = RequestFactory().get("/admin/")
        request.user = world.users["admin"]
        if route.name.endswith("_add") and not model_admin.has_add_permission(request):
            return FORBIDDEN
        if route.name.endswith("_delete") and not model_admin.has_delete_permission(
            request, _admin_object(model, world)
        ):
            return FORBIDDEN
    return OK


def admin_sample(route, world):
    """The group rule for one admin URL pattern (named or not)."""
    model = _admin_model(route)
    if route.key in ADMIN_ANSWERS:
        expected = ADMIN_ANSWERS[route.key]
    else:
        expected = answers(ADMIN_LOGIN, ADMIN_LOGIN, admin=_admin_answer(route, model, world))
    return Sample(lambda w: _admin_kwargs(route, model, w), expected, label="admin")


# --- the sweep --------------------------------------------------------------------------------------

ROUTES = list(all_routes())
ROUTE_KEYS = [route.key for route in ROUTES]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Who checks the methods a view accepts: the first of these the view lets in.
METHOD_CHECKERS = ("owner", "assessor", "staff", "technical", "appeal", "admin", "other_applicant", "other_assessor",
                   "technical_other", "appeal_other")
DENIALS = {LOGIN, ADMIN_LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}


def samples_for(route, world):
    if route.namespace.split(":")[0] == ADMIN_NAMESPACE:
        return [admin_sample(route, world)]
    entry = MATRIX.get(route.key)
    if entry is None:
        return []
    return entry if isinstance(entry, list) else [entry]


def _path(route, sample, world):
    kwargs = sample.kwargs(world)
    if "path" in kwargs:
        return kwargs["path"]
    return reverse(route.key, kwargs=kwargs)


def _checker(sample):
    table = sample.post or sample.get
    return next((who for who in METHOD_CHECKERS if table[who] not in DENIALS), None)


@pytest.fixture(scope="module")
def sweep(world):
    """Every request of the matrix, once: {route key: {"get"|"post"|"methods": [(probe, expected)]}}."""
    requester = Requester(world.users)
    results = defaultdict(lambda: defaultdict(list))
    for route in ROUTES:
        try:
            samples = samples_for(route, world)
        except Exception as error:
            results[route.key]["errors"].append(f"cannot tell what to expect: {error!r}")
            continue
        for sample in samples:
            label = sample.label or "-"
            try:
                path = _path(route, sample, world)
            except Exception as error:
                results[route.key]["errors"].append(f"{label}: cannot build the URL: {error!r}")
                continue
            for principal in PRINCIPALS:
                probe = requester.send(route.key, label, principal, "GET", path)
                results[route.key]["get"].append((probe, sample.get[principal]))
                if sample.post is not None:
                    probe = requester.send(route.key, label, principal, "POST", path)
                    results[route.key]["post"].append((probe, sample.post[principal]))
            if route.namespace == ADMIN_NAMESPACE:
                continue  # see test_unsupported_methods_answer_405
            checker = _checker(sample)
            if checker is None:
                continue  # a sample nobody may open (an unknown code); the route's other samples are checked
            for method in METHODS:
                if method == "GET" or (method == "POST" and sample.post is not None):
                    continue  # in the matrix already
                probe = requester.send(route.key, label, checker, method, path)
                results[route.key]["methods"].append((probe, method in sample.methods))
    return results


# --- the tests --------------------------------------------------------------------------------------


def test_every_url_pattern_has_a_matrix_entry():
    """A new URL pattern must be added to the matrix (or fall under the admin's group rule) before it ships."""
    missing = []
    for route in ROUTES:
        if route.namespace.split(":")[0] == ADMIN_NAMESPACE:
            continue
        if route.name is None:
            missing.append(f"{route.route} (a URL pattern without a name)")
        elif route.key not in MATRIX:
            missing.append(f"{route.key} ({route.route})")
    assert not missing, "URL patterns without an entry in the authorisation matrix: " + ", ".join(missing)


def test_the_matrix_has_no_entry_without_a_url_pattern():
    stale = sorted(set(MATRIX) - set(ROUTE_KEYS))
    assert not stale, f"matrix entries for URL names that no longer exist: {stale}"


def _failures(rows, world):
    failures = []
    for probe, expected in rows:
        problem = expected.mismatch(probe, world)
        if problem:
            failures.append(f"{probe} [{probe.sample}]: {problem}")
    return failures


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_answers(sweep, world, key):
    """GET (and an empty POST where the view only accepts POST) answers as the matrix says, for every principal."""
    result = sweep[key]
    assert not result["errors"], result["errors"]
    assert result["get"], f"{key} was not requested"
    failures = _failures(result["get"] + result["post"], world)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", [key for key in ROUTE_KEYS if not key.startswith(f"{ADMIN_NAMESPACE}:")])
def test_unsupported_methods_answer_405(sweep, key):
    """Methods a view does not accept answer 405 to a principal it lets in; the ones it accepts do not.

    The admin is left out: Django's admin views answer any method but POST as they answer GET.
    """
    rows = sweep[key]["methods"]
    assert rows, f"{key}: no method was checked"
    failures = []
    for probe, accepted in rows:
        if probe.error:
            failures.append(f"{probe}: raised {probe.error}")
        elif accepted and probe.status in (405, 500):
            failures.append(f"{probe}: the view accepts {probe.method}, got {probe.status}")
        elif not accepted and probe.status != 405:
            failures.append(f"{probe}: expected 405, got {probe.status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_get_changes_nothing(sweep, key):
    """No GET, by anyone, adds, changes or removes a row (audit and notifications included), writes a file, queues
    a task or sends mail. No table is left out: a GET writes no session, no axes record and no read mark here."""
    failures = [f"{probe}: {'; '.join(probe.changes)}" for probe, _expected in sweep[key]["get"] if probe.changes]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_canaries_do_not_leak(sweep, key):
    """The owner's canaries appear in no response (HTML, PDF text, XLSX and ZIP members, headers) to a principal
    who may not read them."""
    allowed_here = PUBLIC_CANARIES.get(key, set())
    failures = []
    for kind in ("get", "post", "methods"):
        for probe, _expected in sweep[key][kind]:
            seen = {canary.key for canary in CANARIES if probe.principal in canary.seen_by}
            leaked = probe.canaries - seen - allowed_here
            if leaked:
                failures.append(f"{probe} [{probe.sample}]: {sorted(leaked)}")
    assert not failures, "canaries leaked:\n" + "\n".join(failures)


def _probe(sweep, key, kind, principal, sample="-"):
    found = [p for p, _e in sweep[key][kind] if p.principal == principal and p.sample == sample]
    assert found, f"no {kind.upper()} of {key} [{sample}] as {principal}"
    return found[0]


def test_the_state_check_sees_a_change(sweep):
    """The snapshot is not blind: an empty POST that starts the bulk issuance (rolled back afterwards) adds an
    issuance run and an audit row and queues a task; logging out deletes the session."""
    issue = "; ".join(_probe(sweep, "certificates:letter-issue", "post", "staff").changes)
    assert "table certificates_issuancerun: 0 → 1 rows" in issue, issue
    assert "table lsp_auditevent" in issue and "queued for after the commit" in issue, issue
    logout = "; ".join(_probe(sweep, "logout", "post", "owner").changes)
    assert "table django_session" in logout, logout


# Where each canary must show, so that the search above can fail: HTML, the text of the portal's PDFs (their
# bytes are compressed), an uploaded PDF, an XLSX inside a ZIP.
POSITIVE_CONTROLS = [
    ("applicants:detail", "certified", "owner", "name"),
    ("applicants:detail", "certified", "owner", "nik"),
    ("applicants:review", "-", "staff", "nik"),
    ("applicants:review", "-", "staff", "address"),
    ("applicants:pdf", "APL-01 certified", "owner", "nik"),
    ("applicants:document", "certified application", "owner", "document_bytes"),
    ("applicants:document", "certified application", "assessor", "document_bytes"),
    ("assessments:evidence-review", "-", "assessor", "evidence_title"),
    ("applicants:question", "-", "owner", "question"),
    ("applicants:question", "-", "staff", "question"),
    ("certificates:letter-package", "-", "staff", "nik"),
    ("certificates:certificate-pdf", "-", "staff", "name"),
    ("certificates:my-appeal", "-", "owner", "appeal"),
    ("certificates:appeal-detail", "-", "appeal", "appeal"),
    ("certificates:appeal-attachment", "-", "appeal", "appeal"),
    ("certificates:my-surveillance", "-", "owner", "surveillance"),
    ("certificates:surveillance-file", "-", "staff", "surveillance"),
    ("verify:code", "the certificate", "anonymous", "name"),
]


@pytest.mark.parametrize(("key", "sample", "principal", "canary"), POSITIVE_CONTROLS)
def test_canaries_reach_who_may_see_them(sweep, key, sample, principal, canary):
    probe = _probe(sweep, key, "get", principal, sample)
    assert probe.status == 200, f"{probe}: {probe.status}"
    assert canary in probe.canaries, f"{probe}: the {canary} canary is missing (found {sorted(probe.canaries)})"
