from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address.

    The role says which workspace the person uses; membership of a company (supplier or
    manufacturer) is a separate record so that an owner can invite staff.
    """

    class Role(models.TextChoices):
        UMKM = "umkm", _("UMKM member")
        BUYER = "buyer", _("Buyer member")
        MINISTRY = "ministry", _("Ministry staff")
        PARTNER = "partner", _("Partner")
        ADMIN = "admin", _("Administrator")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.UMKM)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Set when the person deleted their account: the row stays as an anonymous placeholder so
    # the firms' records (introductions, partnerships) keep their shape; see accounts.privacy.
    erased_at = models.DateTimeField(_("account deleted at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        if self.erased_at:
            return str(_("Deleted user"))
        return self.full_name or self.email

    def get_short_name(self) -> str:
        if self.erased_at:
            return str(_("Deleted user"))
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_ministry(self) -> bool:
        return self.role in (self.Role.MINISTRY, self.Role.ADMIN) or self.is_superuser

    @property
    def is_umkm(self) -> bool:
        return self.role == self.Role.UMKM

    @property
    def is_buyer(self) -> bool:
        return self.role == self.Role.BUYER


# In its own module: the outbox, notifications and e-mail preferences (issue 5).
from .notifications import *  # noqa: E402, F403

# In its own module: privacy-notice consents and the audit records (UU PDP).
from .records import *  # noqa: E402, F403
