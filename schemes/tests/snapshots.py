"""Row counts of everything the schemes app writes, to prove a refused change wrote nothing."""

from django.apps import apps

from lsp.models import AuditEvent


def row_counts():
    counts = {model._meta.label: model._base_manager.count() for model in apps.get_app_config("schemes").get_models()}
    counts["audit"] = AuditEvent.objects.count()
    return counts
