"""Data rights under UU PDP 27/2022, the writes: consent to the privacy notice, the audit records,
and account deletion.

Deletion erases or anonymises the person and keeps the firm. The user row stays as an anonymous
placeholder (``erased_at`` set, e-mail ``erased-<id>@erased.invalid``, no name, no usable
password, inactive), because introductions, partnerships, requirements and verification
decisions point at it and the ministry's statistics count them. Each app above erases what it
keeps about the person (``accounts.signals.personal_data_erase``); this module does the account
itself: e-mail addresses, notifications, queued e-mails, preferences, the consent evidence.

A firm whose last member leaves is kept (its introductions and partnerships are statistics) and
becomes a firm without members, like one imported from a CSV: its contact person, e-mail and
phone are cleared, and an administrator can give it a new member in the admin. If other members
remain and the person was the last owner, the longest-standing member becomes owner, so the
firm can still be managed. (Refusing deletion until another owner exists would leave a one-person
UMKM no way to use its right to erasure.)
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import replace

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import Entry, audit_records, current_actor
from .models import (
    AuditRecord,
    EmailPreference,
    Notification,
    OutboxEmail,
    PrivacyConsent,
    User,
)
from .signals import personal_data_erase

logger = logging.getLogger(__name__)

# Cached in the session so the notice check costs no query on most page views.
SESSION_KEY = "privacy_notice_version"


def notice_version() -> str:
    """The version of the privacy notice in force (``PRIVACY_NOTICE_VERSION``)."""
    return settings.PRIVACY_NOTICE_VERSION


def session_marker(user: User) -> str:
    # With the user's id: a session that carries over from a sign-up into another account's
    # log-in must not vouch for that account.
    return f"{user.pk}:{notice_version()}"


def consent_is_current(user: User) -> bool:
    return PrivacyConsent.objects.filter(user=user, notice_version=notice_version()).exists()


def _client_ip(request: HttpRequest) -> str | None:
    try:
        address = get_adapter(request).get_client_ip(request)
        return str(ipaddress.ip_address(address))
    except (PermissionDenied, ValueError, TypeError):
        return None


def consent_record(*, user: User, request: HttpRequest | None = None) -> PrivacyConsent:
    """Records that ``user`` accepted the notice in force (once per version)."""
    evidence = {}
    if request is not None:
        evidence = {
            "ip_address": _client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        }
    consent, _created = PrivacyConsent.objects.get_or_create(
        user=user, notice_version=notice_version(), defaults=evidence
    )
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = session_marker(user)
    return consent


def audit_record(
    *,
    actor: User,
    action: str,
    object_kind: str,
    object_ids: list[int] | tuple[int, ...],
    firm_kind: str = "",
) -> int:
    """Appends one audit record per object, by ``actor`` through the current door; returns how
    many. With ``firm_kind`` the objects are firms of that kind."""
    return audit_records(
        [
            Entry(action, object_kind, pk, firm_kind, pk if firm_kind else None)
            for pk in dict.fromkeys(object_ids)
        ],
        actor=replace(current_actor(), user=actor),
    )


def _addresses(user: User) -> list[str]:
    emails = {user.email.lower()}
    emails.update(
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return sorted(emails)


def erased_email(user_id: int) -> str:
    # ".invalid" is reserved (RFC 2606): no mail can ever go there.
    return f"erased-{user_id}@erased.invalid"


@transaction.atomic
def user_erase(*, user: User, password: str | None = None) -> User:
    """Deletes a person's account: erases or anonymises their personal data, keeps their firm's
    records for the ministry's statistics, and records that it happened (ids only).

    With ``password`` (the account settings page), it must be the account's password.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        return user
    if password is not None and not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    emails = _addresses(user)

    personal_data_erase.send(sender=User, user=user, emails=emails)

    Notification.objects.filter(user=user).delete()
    EmailPreference.objects.filter(user=user).delete()
    # E-mails to the person, sent or waiting: their addresses and the texts about them go.
    recipient = Q()
    for email in emails:
        recipient |= Q(recipient__iexact=email)
    OutboxEmail.objects.filter(Q(user=user) | recipient).delete()
    # E-mails already sent to others that quoted the person's address (contact cards).
    for email in emails:
        OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT, context__icontains=email).update(
            context={}
        )
    EmailAddress.objects.filter(user=user).delete()
    # The consent stays (it shows the lawful basis of what was processed), without the
    # evidence that identifies the person's connection.
    PrivacyConsent.objects.filter(user=user).update(ip_address=None, user_agent="")

    user.email = erased_email(user.pk)
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    # A new password hash also ends every session of the account (Django checks it).
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit_record(
        actor=user,
        action=AuditRecord.Action.ACCOUNT_ERASED,
        object_kind="user",
        object_ids=[user.pk],
    )
    logger.info("account %s deleted at the person's request", user.pk)
    return user


def personal_data_download(*, user: User):
    """The "download my data" archive (``accounts.export``), recorded in the audit trail."""
    from .export import personal_data_archive

    archive = personal_data_archive(user)
    audit_record(
        actor=user,
        action=AuditRecord.Action.DATA_EXPORT,
        object_kind="user",
        object_ids=[user.pk],
    )
    return archive


def remember_consent_at_log_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    """``user_logged_in`` receiver: check the notice once at log-in, not on the first page."""
    if request is not None and hasattr(request, "session") and consent_is_current(user):
        request.session[SESSION_KEY] = session_marker(user)
