"""The principals of the matrix and the answers a URL may give them."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

PRINCIPALS = (
    "anonymous",
    "owner",  # the applicant who owns every object of the world
    "other_applicant",
    "assessor",  # assigned to the owner
    "other_assessor",  # competent for the same schemes, not assigned
    "staff",
    "technical",  # the technical team member who chaired the owner's meeting
    "technical_other",  # technical team, not on that meeting
    "appeal",  # on the team of the owner's appeal
    "appeal_other",  # appeal team, not on that appeal
    "admin",  # admin role, Django admin access
)
GROUPS = {
    "everyone": PRINCIPALS,
    "logged_in": PRINCIPALS[1:],
    "applicants": ("owner", "other_applicant"),
    "assessors": ("assessor", "other_assessor"),
    "lsp_staff": ("staff", "admin"),
    "technical_team": ("technical", "technical_other"),
    "appeal_team": ("appeal", "appeal_other"),
}


@dataclass(frozen=True)
class Answer:
    """An expected response: a status, and for a redirect where it must lead."""

    status: int
    to: str | Callable | None = None  # "login", "admin-login", or world -> URL
    label: str = ""

    def __str__(self):
        return self.label or str(self.status)

    def mismatch(self, probe, world):
        """Why ``probe`` is not this answer, or None."""
        if probe.error:
            return f"raised {probe.error}"
        if probe.status != self.status:
            where = f" → {probe.location}" if probe.location else ""
            return f"expected {self}, got {probe.status}{where}"
        if self.to is None:
            return None
        if self.to in ("login", "admin-login"):
            login = reverse("login" if self.to == "login" else "admin:login")
            parts = urlsplit(probe.location)
            if parts.path != login or parse_qs(parts.query).get("next") != [probe.path]:
                return f"expected a redirect to {login}?next={probe.path}, got → {probe.location}"
            return None
        target = self.to(world)
        if probe.location != target:
            return f"expected a redirect to {target}, got → {probe.location}"
        return None


OK = Answer(200, label="200")
LOGIN = Answer(302, "login", label="login")
ADMIN_LOGIN = Answer(302, "admin-login", label="admin login")
FORBIDDEN = Answer(403, label="403")
NOT_FOUND = Answer(404, label="404")
NOT_ALLOWED = Answer(405, label="405")


def redirect(target, *args):
    """A 302 to ``target``: a URL name whose arguments are attributes of the world, or a function of the world."""
    if callable(target):
        return Answer(302, target, label="redirect")

    def url(world):
        return reverse(target, args=[_arg(world, arg) for arg in args])

    return Answer(302, url, label=f"redirect to {target}")


def _arg(world, arg):
    if callable(arg):
        return arg(world)
    if isinstance(arg, str) and "." in arg:
        name, attribute = arg.split(".", 1)
        return getattr(getattr(world, name), attribute)
    return getattr(world, arg).pk if isinstance(arg, str) else arg


def answers(default=FORBIDDEN, anonymous=LOGIN, **specific):
    """Each principal's answer: ``default`` unless named (a principal or a group of ``GROUPS``; later wins)."""
    table = dict.fromkeys(PRINCIPALS, default)
    table["anonymous"] = anonymous
    for who, answer in specific.items():
        for principal in GROUPS.get(who, (who,)):
            if principal not in PRINCIPALS:
                raise KeyError(who)
            table[principal] = answer
    return table
