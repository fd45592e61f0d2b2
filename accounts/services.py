"""Write operations on accounts. Views, commands and the admin call these."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User

# Roles that only an administrator may hand out; sign-up offers UMKM and buyer only.
STAFF_ROLES = (User.Role.MINISTRY, User.Role.PARTNER, User.Role.ADMIN)


def user_set_language(*, user: User, language: str) -> User:
    """Remember a logged-in user's language so e-mails and other browsers follow it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Unknown language.")})
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def email_address_mark_verified(*, user: User) -> EmailAddress:
    """Record the user's e-mail as verified and primary.

    Accounts that an administrator creates skip the verification e-mail: the administrator
    vouches for the address, and allauth refuses log-in until an address is verified.
    """
    address, _created = EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    EmailAddress.objects.filter(user=user).exclude(pk=address.pk).update(primary=False)
    return address


@transaction.atomic
def staff_user_create(
    *,
    email: str,
    role: str,
    full_name: str = "",
    password: str | None = None,
    preferred_language: str = settings.LANGUAGE_CODE,
) -> User:
    """Create a ministry, partner or administrator account with a verified e-mail address.

    Without a password the account gets an unusable one; the person sets theirs through the
    "forgot password" e-mail.
    """
    if role not in STAFF_ROLES:
        raise ValidationError({"role": _("Only ministry, partner or administrator roles.")})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    is_admin = role == User.Role.ADMIN
    user = User(
        email=email,
        full_name=full_name,
        role=role,
        preferred_language=preferred_language,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    email_address_mark_verified(user=user)
    return user
