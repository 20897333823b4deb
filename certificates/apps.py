from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from assessments.services import register_reopen_guard

        register_reopen_guard(_decided_record_stays_closed)


def _decided_record_stays_closed(record):
    """A record the technical team has decided on is the basis of that decision (9.4.1 b): it is not reopened."""
    if record.decisions.exists():
        return _("The technical team has already decided on this record; it can no longer be reopened.")
    return None
