"""Account services: registration and email verification."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .errors import InvalidState
from .models import Role, User, UserRole
from .notifications import notify


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "lsp.email-verification"

    def _make_hash_value(self, user, timestamp):
        # Once verified, the token no longer matches, so a link works only once.
        return f"{user.pk}{user.is_active}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def verification_link(user, *, base_url):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    return base_url + reverse("verify-email", args=[uid, token])


@transaction.atomic
def applicant_register(*, full_name, email, password, language, base_url):
    """Create an inactive applicant and email them a verification link."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, is_active=False, preferred_language=language
    )
    UserRole.objects.create(user=user, role=Role.APPLICANT)
    audit_record(actor=user, action="account.register", obj=user, to_state="unverified")
    notify(
        user=user,
        template="emails/verify_email.txt",
        context={"user": user, "link": verification_link(user, base_url=base_url)},
    )
    return user


@transaction.atomic
def applicant_verify_email(*, user_id, token):
    """Activate the account behind a verification link. A second click changes nothing."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise InvalidState(_("This verification link is not valid."))
    if user.email_verified_at is not None:
        return user
    if not email_verification_token.check_token(user, token):
        raise InvalidState(_("This verification link is not valid or has expired."))
    user.is_active = True
    user.email_verified_at = timezone.now()
    user.save(update_fields=["is_active", "email_verified_at"])
    audit_record(actor=user, action="account.verify_email", obj=user, from_state="unverified", to_state="active")
    return user
