from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from applicants.permissions import register_viewer_rule

        from .permissions import assigned_assessor_may_view

        register_viewer_rule(assigned_assessor_may_view)
