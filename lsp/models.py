"""Cross-cutting models: the user and roles, the audit log, the LSP's days off."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant (pemohon/asesi)")
    ASSESSOR = "assessor", _("Assessor (asesor)")
    STAFF = "staff", _("LSP staff")
    TECHNICAL_TEAM = "technical_team", _("Technical team (tim teknis)")
    APPEAL_TEAM = "appeal_team", _("Appeal team (tim banding)")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Email addresses are stored lower-cased; log-in ignores the case the user types.
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        user = self._create_user(email, password, **extra)
        UserRole.objects.get_or_create(user=user, role=Role.ADMIN)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person; logs in with their email address. Roles are in ``UserRole``."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive accounts cannot log in; an applicant is inactive until the email is verified."),
    )
    is_staff = models.BooleanField(
        _("Django admin access"),
        default=False,
        help_text=_("May log in to the Django admin site."),
    )
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_codes(self):
        # Cached per instance: the navigation asks on every page.
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(self.roles.values_list("role", flat=True))
        return self._role_codes

    def has_role(self, *roles):
        return bool(self.role_codes.intersection(roles))


class UserRole(models.Model):
    """One role held by one user; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_user_role"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class AuditEvent(models.Model):
    """Every state change: who, when, on what, from what to what, and why.

    Rows are only ever added; there is no edit or delete in the admin.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class DayOff(models.Model):
    """A day the LSP declares closed (cuti bersama), on top of public holidays."""

    date = models.DateField(_("date"), unique=True)
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        verbose_name = _("declared day off (cuti bersama)")
        verbose_name_plural = _("declared days off (cuti bersama)")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.description}"


class Notification(models.Model):
    """A message to one user: listed in the portal and emailed once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    email = models.EmailField(_("email address"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    # Unique per (object, kind, due date) for reminders; empty for one-off messages.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class Counter(models.Model):
    """A numbered series (invoices, Berita Acara, SK, certificates…), advanced under a row lock."""

    series = models.CharField(_("series"), max_length=100, unique=True)
    value = models.PositiveBigIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self):
        return f"{self.series}: {self.value}"


class Organisation(models.Model):
    """The LSP itself: one row, edited in the admin (name, address, bank details)."""

    name = models.CharField(_("name"), max_length=255, default="LSP")
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=50, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("LSP profile")
        verbose_name_plural = _("LSP profile")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        organisation, _created = cls.objects.get_or_create(pk=1)
        return organisation
