"""Storing the files given after issue (surveillance logbooks, appeal attachments).

Each file is inspected by ``applicants.uploads.inspect_upload`` (content sniffing, images re-encoded,
active PDFs refused) before anything is written; a refused file raises ``UploadRefused`` and nothing
is stored. Files written inside a failed transaction are removed again.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from applicants.uploads import inspect_upload

MAX_FILES_PER_UPLOAD = 5


def inspect_all(uploaded_files):
    """Check every file first: one refused file refuses the whole submission."""
    return [inspect_upload(uploaded) for uploaded in uploaded_files or ()]


class StoredFiles:
    """``with StoredFiles("appeals") as files, transaction.atomic(): files.save(clean)``; removed on failure."""

    def __init__(self, folder):
        self.folder = folder
        self.names = []

    def __enter__(self):
        return self

    def save(self, clean):
        today = timezone.localdate()
        name = f"certificates/{self.folder}/{today:%Y/%m}/{secrets.token_hex(16)}.{clean.extension}"
        stored = default_storage.save(name, ContentFile(clean.content))
        self.names.append(stored)
        return stored

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.names:
                default_storage.delete(name)
        return False


def file_fields(clean, name, uploaded_by):
    return {
        "uploaded_by": uploaded_by,
        "storage_name": name,
        "original_name": clean.display_name,
        "content_type": clean.content_type,
        "size": clean.size,
        "sha256": clean.sha256,
    }
