"""Uploaded files: checked before anything is stored, kept under random names, never deleted."""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lsp.audit import audit_record
from lsp.errors import InvalidState

from ..models import Application, Document
from ..snapshot import application_scheme
from ..uploads import inspect_upload
from ._common import lock_application, require_editable

# Enough for every 9.1.2 document plus APL-02 evidence; stops a runaway script filling the disk.
MAX_DOCUMENTS_PER_APPLICATION = 60


def _storage_name(clean):
    today = timezone.localdate()
    return f"applicants/{today:%Y/%m}/{secrets.token_hex(16)}.{clean.extension}"


class NewFiles:
    """Files written inside the block are removed again if the block fails (a rollback included).

    Use it around the transaction, so a failed commit also leaves no file behind::

        with NewFiles() as files, transaction.atomic():
            name = files.save(clean)
    """

    def __enter__(self):
        self.names = []
        return self

    def save(self, clean):
        name = default_storage.save(_storage_name(clean), ContentFile(clean.content))
        self.names.append(name)
        return name

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.names:
                default_storage.delete(name)
        return False


def document_create(*, application, owner, kind, clean, name, requirement_id=None, title=""):
    return Document.objects.create(
        application=application,
        owner=owner,
        kind=kind,
        requirement_id=requirement_id,
        title=(title or "")[:200],
        storage_name=name,
        original_name=clean.display_name,
        content_type=clean.content_type,
        size=clean.size,
        sha256=clean.sha256,
    )


def _section_for(kind):
    return Application.Section.DOCUMENTS if kind == Document.Kind.REQUIREMENT else Application.Section.SELF_ASSESSMENT


def document_upload(*, actor, application, kind, uploaded_file, requirement_id=None, title=""):
    """Attach a 9.1.2 document (``requirement_id``) or APL-02 evidence to a draft or revision.

    The file is inspected first (``applicants.uploads``): a refused file raises
    ``UploadRefused`` and nothing is written. During a revision, a new file for a
    requirement replaces the files of it that staff marked "tidak memenuhi syarat".
    """
    if kind not in (Document.Kind.REQUIREMENT, Document.Kind.EVIDENCE):
        raise InvalidState(_("Unknown kind of document."))
    clean = inspect_upload(uploaded_file)
    with NewFiles() as files, transaction.atomic():
        application = lock_application(application)
        require_editable(actor, application, _section_for(kind))
        if kind == Document.Kind.REQUIREMENT:
            wanted = {item["id"] for item in application_scheme(application)["required_documents"]}
            if requirement_id not in wanted:
                raise InvalidState(_("This document is not required for the path you chose."))
        else:
            requirement_id = None
        if application.documents.filter(superseded_at__isnull=True).count() >= MAX_DOCUMENTS_PER_APPLICATION:
            raise InvalidState(_("This application already has the most files allowed. Remove one first."))
        document = document_create(
            application=application,
            owner=actor,
            kind=kind,
            clean=clean,
            name=files.save(clean),
            requirement_id=requirement_id,
            title=title,
        )
        replaced = []
        if kind == Document.Kind.REQUIREMENT and application.status == Application.Status.REVISION_REQUESTED:
            failed = application.documents.filter(
                requirement_id=requirement_id, superseded_at__isnull=True, review=Document.Review.FAILS
            )
            replaced = [str(uuid) for uuid in failed.values_list("uuid", flat=True)]
            failed.update(superseded_at=timezone.now())
        audit_record(
            actor=actor,
            action="document.upload",
            obj=application,
            data={"document": str(document.uuid), "kind": kind, "requirement": requirement_id, "replaced": replaced},
        )
    return document


def document_remove(*, actor, document):
    """Take a file off a draft or revision. The row and the file stay in the record (superseded)."""
    with transaction.atomic():
        application = lock_application(document.application)
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.kind == Document.Kind.PAYMENT_PROOF:
            raise InvalidState(_("A transfer proof cannot be removed."))
        require_editable(actor, application, _section_for(document.kind))
        if document.superseded_at is not None:
            return document
        document.superseded_at = timezone.now()
        document.save(update_fields=["superseded_at"])
        for answer in document.answers.all():
            answer.evidence.remove(document)
        audit_record(actor=actor, action="document.remove", obj=application, data={"document": str(document.uuid)})
    return document
