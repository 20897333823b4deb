"""Walk the URL resolver, send requests as each principal, and record what came back: the status, where a
redirect leads, which canaries the response holds, and what the request changed."""

import copy
import io
import os
import subprocess
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from .answers import PRINCIPALS
from .world import CANARIES

# --- the URL patterns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full name (``namespace:name``), and its full route from the site root."""

    namespace: str
    name: str | None
    route: str

    @property
    def key(self):
        if self.name:
            return f"{self.namespace}:{self.name}" if self.namespace else self.name
        return f"{self.namespace}:<unnamed> {self.route}" if self.namespace else f"<unnamed> {self.route}"


def all_routes(resolver=None, namespace="", prefix=""):
    """Every URL pattern of the project, nested resolvers included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from all_routes(pattern, inner, prefix + str(pattern.pattern))
        else:
            yield Route(namespace, pattern.name, prefix + str(pattern.pattern))


# --- what a request changed -----------------------------------------------------------------------

# Rows whose every field is compared before and after a request (their status, updated_at, read_at, last_login…);
# every other table is compared by its row count.
TRACKED_MODELS = (
    "lsp.User", "lsp.Notification", "lsp.Counter", "lsp.Organisation",
    "applicants.Application", "applicants.Document", "applicants.Invoice", "applicants.Question",
    "assessments.Schedule", "assessments.Assignment", "assessments.AssessmentPlan", "assessments.AssessmentRecord",
    "certificates.TechnicalMeeting", "certificates.Decision", "certificates.DecisionLetter",
    "certificates.Certificate", "certificates.Surveillance", "certificates.SanctionCase", "certificates.Appeal",
)


def _tables():
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables)


def _storage_root():
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


class Snapshot:
    """The state a GET must leave as it found: row counts of every table, every field of the world's main rows,
    the files in private storage, the work queued for after the commit, and the mail sent."""

    def __init__(self):
        quote = connection.ops.quote_name
        self.tables = _tables()
        self.count_sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in self.tables)
        self.row_sql = []
        for label in TRACKED_MODELS:
            meta = apps.get_model(label)._meta
            self.row_sql.append((label, meta.pk.column, f"SELECT * FROM {quote(meta.db_table)}"))

    def take(self):
        rows = {}
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql)
            counts = dict(zip(self.tables, cursor.fetchone(), strict=True))
            for label, pk, sql in self.row_sql:
                cursor.execute(sql)
                columns = [column[0] for column in cursor.description]
                for values in cursor.fetchall():
                    row = dict(zip(columns, values, strict=True))
                    rows[(label, row[pk])] = row
        files = {}
        for directory, _folders, names in os.walk(_storage_root()):
            for name in names:
                path = os.path.join(directory, name)
                files[path] = os.stat(path).st_size
        return {
            "counts": counts,
            "rows": rows,
            "files": files,
            "on_commit": len(connection.run_on_commit),
            "mail": len(getattr(mail, "outbox", [])),
        }

    @staticmethod
    def changes(before, after):
        found = []
        for table, count in before["counts"].items():
            if after["counts"][table] != count:
                found.append(f"table {table}: {count} → {after['counts'][table]} rows")
        for key in sorted(set(before["rows"]) | set(after["rows"])):
            old, new = before["rows"].get(key), after["rows"].get(key)
            if old != new:
                fields = sorted(f for f in set(old or {}) | set(new or {}) if (old or {}).get(f) != (new or {}).get(f))
                found.append(f"{key[0]} #{key[1]} changed: {', '.join(fields)}")
        touched = sorted(
            name for name in set(before["files"]) | set(after["files"])
            if before["files"].get(name) != after["files"].get(name)
        )
        if touched:
            found.append(f"files written or removed in private storage: {touched}")
        if after["on_commit"] != before["on_commit"]:
            found.append(f"{after['on_commit'] - before['on_commit']} task(s) queued for after the commit")
        if after["mail"] != before["mail"]:
            found.append(f"{after['mail'] - before['mail']} email(s) sent")
        return found


# --- canaries in a response -----------------------------------------------------------------------


def pdf_text(content):
    result = subprocess.run(["pdftotext", "-q", "-", "-"], input=content, capture_output=True, timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pdftotext failed ({result.returncode}) on a {len(content)}-byte PDF")
    return result.stdout.decode("utf-8", "replace")


def readable_texts(content, depth=0):
    """The text of a response body as a reader would get it: the bytes themselves, the text of a PDF, and the
    members of a ZIP archive (an XLSX is one), recursively."""
    texts = [content.decode("utf-8", "replace")]
    if content.startswith(b"%PDF"):
        texts.append(pdf_text(content))
    elif content.startswith(b"PK\x03\x04") and depth < 3:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                texts.append(member)
                texts.extend(readable_texts(archive.read(member), depth + 1))
    return texts


def canaries_in(texts):
    lowered = [text.lower() for text in texts]
    squeezed = ["".join(text.split()) for text in lowered]
    return frozenset(
        canary.key for canary in CANARIES
        if any(canary.text.lower() in text for text in lowered + squeezed)
    )


# --- requests -----------------------------------------------------------------------------------


@dataclass
class Probe:
    key: str  # the route
    sample: str
    path: str
    principal: str
    method: str
    status: int = 0
    location: str = ""
    canaries: frozenset = frozenset()
    changes: list = field(default_factory=list)
    error: str = ""

    def __str__(self):
        return f"{self.method} {self.path} as {self.principal}"


class Requester:
    """One logged-in client per principal. Every request runs in a savepoint that is rolled back afterwards, so
    no request (a GET that wrongly writes, a POST of the method checks) changes what the next one sees."""

    def __init__(self, users):
        self.clients = {}
        for number, principal in enumerate(PRINCIPALS, 1):
            # One address each: the public verification page counts requests per address.
            client = Client(REMOTE_ADDR=f"10.0.0.{number}", raise_request_exception=False)
            if principal != "anonymous":
                client.force_login(users[principal])
            self.clients[principal] = client
        self.snapshot = Snapshot()

    def send(self, key, sample, principal, method, path):
        probe = Probe(key=key, sample=sample, path=path, principal=principal, method=method)
        client = self.clients[principal]
        cookies = copy.deepcopy(client.cookies)  # a logout or a language switch must not stick
        savepoint = transaction.savepoint()
        try:
            before = self.snapshot.take()
            response = getattr(client, method.lower())(path)
            probe.status = response.status_code
            probe.location = response.get("Location", "")
            if getattr(response, "exc_info", None):
                probe.error = "".join(traceback.format_exception(*response.exc_info)).strip()
            # Reading a streamed body to the end closes the response (the test client's wrapper does it, keeping the
            # connection: closing it here would end the module's transaction on PostgreSQL).
            body = b"".join(response.streaming_content) if response.streaming else response.content
            headers = [response.get("Location", ""), response.get("Content-Disposition", ""), response.cookies.output()]
            probe.canaries = canaries_in(readable_texts(body) + headers)
            try:
                probe.changes = Snapshot.changes(before, self.snapshot.take())
            except Exception as error:  # e.g. PostgreSQL refusing queries after a failed one
                probe.changes = [f"the state could not be read after the request: {error!r}"]
        except Exception:
            probe.error = traceback.format_exc().strip()
        finally:
            transaction.savepoint_rollback(savepoint)
            client.cookies = cookies
        return probe
