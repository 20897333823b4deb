"""The public verification pages are shared between anonymous visitors (lsp.pagecache): any change of a
certificate (issued, suspended, reinstated, revoked, expired, replaced) retires them."""

from django.db.models.signals import post_delete, post_save

from lsp.pagecache import bump

CERTIFICATES = "certificates"


def certificates_changed(sender, **kwargs):
    bump(CERTIFICATES)


def connect():
    from .models import Certificate

    post_save.connect(certificates_changed, sender=Certificate, dispatch_uid="public-pages-certificate-saved")
    post_delete.connect(certificates_changed, sender=Certificate, dispatch_uid="public-pages-certificate-deleted")
