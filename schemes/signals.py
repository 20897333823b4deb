"""The public catalogue is shared between anonymous visitors (lsp.pagecache): a change of any scheme data retires it."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from lsp.pagecache import bump

CATALOGUE = "catalogue"


def catalogue_changed(sender, **kwargs):
    bump(CATALOGUE)


def connect():
    for model in apps.get_app_config("schemes").get_models():
        for signal in (post_save, post_delete):
            signal.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-{signal}-{model._meta.label}")
