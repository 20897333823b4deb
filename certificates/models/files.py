"""Files the holder or the candidate gives the LSP after issue (surveillance logbooks, appeal attachments).

Inspected by ``applicants.uploads`` before anything is stored, kept under a random name in
private storage, served only by a view that checks the viewer; never deleted by a user action.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivateFile(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
