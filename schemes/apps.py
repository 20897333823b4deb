from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = _("Schemes")

    def ready(self):
        from .signals import connect

        connect()
