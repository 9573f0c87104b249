"""Accounts: people log in by email; a role says what they may do."""

import hashlib
import secrets

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.lib.fields import NFCCharField
from dxday.registry.models import Organisation


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    class Role(models.TextChoices):
        EDITOR = "editor", _("Unit editor")
        REVIEWER = "reviewer", _("Agency reviewer")
        ADMIN = "admin", _("Agency admin")

    username = None
    email = models.EmailField(_("email"), unique=True)
    full_name = NFCCharField(_("full name"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EDITOR)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name=_("organisation"),
        help_text=_("Required for unit editors; for a reviewer, the province whose communes "
                    "they review (empty: a reviewer of the national agency)."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="editor") | Q(organisation__isnull=False),
                name="editor_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_agency(self) -> bool:
        """The national agency's reviewers and admins: they see every unit's plans. A reviewer
        with a province is a province reviewer, not the agency (see reviews_province)."""
        return self.is_active and (self.is_superuser or self.role == self.Role.ADMIN
                                   or (self.role == self.Role.REVIEWER
                                       and self.organisation_id is None))

    @property
    def is_agency_admin(self) -> bool:
        return self.is_active and (self.role == self.Role.ADMIN or self.is_superuser)

    @property
    def reviews_province(self) -> int | None:
        """The province (its id) whose communes this person tracks and reviews in the
        province's round, or None: a province reviewer sees nothing else of the agency."""
        if (self.is_active and not self.is_superuser and self.role == self.Role.REVIEWER
                and self.organisation_id is not None):
            return self.organisation_id
        return None

    @property
    def is_staff_reviewer(self) -> bool:
        """The agency or a province reviewer: the back office (each sees its own scope) and
        the second factor."""
        return self.is_agency or self.reviews_province is not None


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for the write API. Only its SHA-256 is stored; it is shown once."""

    PREFIX = "dxd_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = NFCCharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
