"""The staff application list is shared between staff (lsp.pagecache.shared_fragment): any change of an
application, its invoice or its applicant's account retires it."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from lsp.pagecache import bump

APPLICATIONS = "applications"


def applications_changed(sender, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login changes nothing the lists show
    bump(APPLICATIONS)


def connect():
    from .models import Application, Invoice

    for model in (Application, Invoice, get_user_model()):
        for signal in (post_save, post_delete):
            signal.connect(
                applications_changed, sender=model, dispatch_uid=f"applications-{signal}-{model._meta.label}"
            )
