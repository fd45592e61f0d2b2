"""``Authorization: Api-Key <key>`` for partners and for buyer firms' own keys; logged-in users
use their session (with CSRF).

A key found in the database is remembered in the worker process for ``KEY_CACHE_SECONDS``, so a
busy partner's requests do not each cost a query. A revocation, a deactivated partner or changed
scopes therefore apply within that many seconds in every worker, and at once in the process that
saved the change (saving a key or a partner empties the cache). Unknown or refused keys are never
remembered.
"""

from __future__ import annotations

import hashlib
import threading
import time

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.audit import Actor, AuditDoor, set_actor
from partners.models import ApiKey, PartnerOrganisation
from partners.services import api_key_find, api_key_touch

KEYWORD = "Api-Key"
KEY_CACHE_SECONDS = 5.0
KEY_CACHE_SIZE = 1000

# sha256(raw key) -> (monotonic expiry, key with its partner)
_found: dict[str, tuple[float, ApiKey]] = {}
_found_lock = threading.Lock()


def _now() -> float:
    return time.monotonic()


def find_key(raw: str) -> ApiKey | None:
    """``api_key_find`` behind the short per-process cache (keyed by the hash of the whole key,
    so a wrong secret never matches a remembered key)."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    now = _now()
    remembered = _found.get(digest)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    api_key = api_key_find(raw)
    with _found_lock:
        if api_key is None:
            _found.pop(digest, None)
        else:
            if len(_found) >= KEY_CACHE_SIZE:
                _found.clear()
            _found[digest] = (now + KEY_CACHE_SECONDS, api_key)
    return api_key


def forget_keys(**kwargs) -> None:
    with _found_lock:
        _found.clear()


for _model in (ApiKey, PartnerOrganisation):
    post_save.connect(forget_keys, sender=_model, dispatch_uid=f"api-forget-keys-save-{_model}")
    post_delete.connect(forget_keys, sender=_model, dispatch_uid=f"api-forget-keys-del-{_model}")


class PartnerUser:
    """``request.user`` for a request made with an API key: a partner, never a site user."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_ministry = False
    is_umkm = False
    is_buyer = False
    role = "partner"
    pk = None
    id = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.partner: PartnerOrganisation = api_key.partner

    def __str__(self) -> str:
        return f"{self.partner} ({self.api_key.prefix})"

    def has_perm(self, *args, **kwargs) -> bool:
        return False


class BuyerKeyUser(PartnerUser):
    """``request.user`` for a buyer firm's own key: that firm, never a site user, never a
    partner (``partner`` is None, so every partner-only read stays closed)."""

    role = "buyer_key"

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.partner = None
        self.manufacturer = api_key.manufacturer

    def __str__(self) -> str:
        return f"{self.manufacturer} ({self.api_key.prefix})"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _space, raw = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        raw = raw.strip()
        api_key = find_key(raw) if raw else None
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid or revoked API key."), code="invalid_api_key"
            )
        api_key_touch(api_key=api_key)
        # The audit trail records this request's writes and private reads as the key's
        # (undone when the view returns: ``ApiViewMixin.dispatch``).
        set_actor(Actor(door=AuditDoor.API, api_key_id=api_key.pk, label=key_label(api_key)))
        if api_key.is_buyer_key:
            return BuyerKeyUser(api_key), api_key
        return PartnerUser(api_key), api_key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when no credentials were sent.
        return KEYWORD


def key_label(api_key: ApiKey) -> str:
    """How the audit trail names a key: its partner (or buyer firm) and the key's public
    prefix."""
    return f"{api_key.owner.name} · {api_key.prefix}"


def api_key_of(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


def partner_of(request) -> PartnerOrganisation | None:
    api_key = api_key_of(request)
    return api_key.partner if api_key else None


def buyer_key_firm_id(request) -> int | None:
    """The buyer firm whose own key made the request, or None."""
    api_key = api_key_of(request)
    return api_key.manufacturer_id if api_key is not None else None


def site_user_of(request):
    """The logged-in site user (session), or None for partners and anonymous callers."""
    if api_key_of(request) is not None or not request.user.is_authenticated:
        return None
    return request.user
