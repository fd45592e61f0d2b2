"""Writes for the partner API: keys, consents, and an association's supplier writes.

API keys: ``rk_<prefix>.<secret>``. The prefix (public) finds the row; only the SHA-256 of the
whole key is stored, so a database leak does not leak usable keys. The secret carries 256 bits of
randomness, which is why a plain (unsalted, fast) hash is enough.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Entry, audit_records, current_actor
from accounts.models import AuditRecord, User
from manufacturers.models import Manufacturer, ManufacturerMember
from suppliers.fields import SUPPLIER
from suppliers.importing import (
    CREATED,
    supplier_upsert_apply,
    supplier_upsert_plan,
)
from suppliers.importing.rows import References, parse_row
from suppliers.models import Supplier

from .models import ApiKey, ApiScope, BuyerApiScope, PartnerConsent, PartnerManagedSupplier
from .models import PartnerOrganisation as Partner

KEY_PREFIX = "rk_"
TOUCH_EVERY = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_scopes(scopes: Iterable[str], allowed: list[str] = ApiScope.values) -> list[str]:
    cleaned = list(dict.fromkeys(scope.strip() for scope in scopes if scope.strip()))
    unknown = [scope for scope in cleaned if scope not in allowed]
    if unknown:
        raise ValidationError(
            {
                "scopes": _("Unknown scopes: %(scopes)s (use: %(choices)s).")
                % {"scopes": ", ".join(unknown), "choices": ", ".join(allowed)}
            },
            code="unknown_scope",
        )
    if not cleaned:
        raise ValidationError({"scopes": _("Give at least one scope.")}, code="no_scope")
    return cleaned


@transaction.atomic
def api_key_create(
    *,
    partner: Partner | None = None,
    manufacturer: Manufacturer | None = None,
    scopes: Iterable[str],
    created_by: User | None = None,
    name: str = "",
    rate_per_minute: int | None = None,
) -> tuple[ApiKey, str]:
    """A key for a partner or for a buyer firm (exactly one). Returns the key row and the raw
    key: the only time the raw key exists."""
    if (partner is None) == (manufacturer is None):
        raise ValueError("An API key belongs to a partner or to a buyer firm, exactly one.")
    allowed = ApiScope.values if partner is not None else BuyerApiScope.values
    prefix = secrets.token_hex(6)
    raw = f"{KEY_PREFIX}{prefix}.{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        partner=partner,
        manufacturer=manufacturer,
        name=name,
        prefix=prefix,
        hashed_key=hash_key(raw),
        scopes=_clean_scopes(scopes, allowed),
        rate_per_minute=rate_per_minute,
        created_by=created_by,
    )
    api_key.full_clean()
    api_key.save()
    _audit_key(api_key, AuditRecord.Action.API_KEY_CREATED, by=created_by)
    return api_key, raw


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: User | None = None) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        _audit_key(api_key, AuditRecord.Action.API_KEY_REVOKED, by=by)
    return api_key


def _audit_key(api_key: ApiKey, action: str, *, by: User | None) -> None:
    # A key opens a firm's or a partner's data to whoever holds it: who made or closed one is
    # part of the trail, whichever door (admin, command, buyer page) it came through.
    actor = current_actor()
    if by is not None:
        actor = replace(actor, user=by)
    kind, owner = (
        ("manufacturer", api_key.manufacturer_id)
        if api_key.manufacturer_id
        else ("partner", api_key.partner_id)
    )
    audit_records(
        [Entry(action, "api_key", api_key.pk, kind, owner, fields=list(api_key.scopes))],
        actor=actor,
    )


def _assert_buyer_owner(*, manufacturer: Manufacturer, user: User) -> None:
    if not ManufacturerMember.objects.filter(
        manufacturer=manufacturer, user=user, role=ManufacturerMember.Role.OWNER
    ).exists():
        raise PermissionDenied(_("Only the owners of the company can manage its API keys."))


@transaction.atomic
def buyer_api_key_create(
    *, manufacturer: Manufacturer, by: User, scopes: Iterable[str], name: str = ""
) -> tuple[ApiKey, str]:
    """An owner of a buyer firm creates a key that reads only that firm's data."""
    _assert_buyer_owner(manufacturer=manufacturer, user=by)
    return api_key_create(manufacturer=manufacturer, scopes=scopes, created_by=by, name=name)


@transaction.atomic
def buyer_api_key_revoke(*, manufacturer: Manufacturer, by: User, key_id: int) -> ApiKey:
    """Takes effect within the key cache's few seconds in every worker (at once in this one)."""
    _assert_buyer_owner(manufacturer=manufacturer, user=by)
    api_key = ApiKey.objects.select_for_update().get(pk=key_id, manufacturer=manufacturer)
    return api_key_revoke(api_key=api_key, by=by)


@functools.cache
def _key_lookup_sql() -> str:
    key, partner, firm = ApiKey._meta, Partner._meta, Manufacturer._meta
    quote = connection.ops.quote_name
    key_columns = ", ".join(f"k.{quote(f.column)}" for f in key.concrete_fields)
    partner_columns = ", ".join(f"p.{quote(f.column)}" for f in partner.concrete_fields)
    firm_columns = ", ".join(f"m.{quote(f.column)}" for f in firm.concrete_fields)
    return (
        f"SELECT {key_columns}, {partner_columns}, {firm_columns} "  # noqa: S608 (names from the models)
        f"FROM {quote(key.db_table)} k "
        f"LEFT JOIN {quote(partner.db_table)} p ON p.{quote(partner.pk.column)} = k.partner_id "
        f"LEFT JOIN {quote(firm.db_table)} m ON m.{quote(firm.pk.column)} = k.manufacturer_id "
        "WHERE k.prefix = %s AND k.revoked_at IS NULL "
        f"AND (p.is_active OR (k.partner_id IS NULL AND m.{quote(firm.pk.column)} IS NOT NULL))"
    )


def api_key_find(raw: str) -> ApiKey | None:
    """The active key of an active partner, or of a buyer firm, matching ``raw``, or None.

    Runs on every API request: one plain query (key and owner) without ORM compilation.
    """
    if not raw.startswith(KEY_PREFIX) or "." not in raw:
        return None
    prefix = raw[len(KEY_PREFIX) :].split(".", 1)[0]
    with connection.cursor() as cursor:
        cursor.execute(_key_lookup_sql(), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    key_fields = ApiKey._meta.concrete_fields
    api_key = ApiKey.from_db(
        connection.alias, [f.attname for f in key_fields], row[: len(key_fields)]
    )
    if isinstance(api_key.scopes, str):  # jsonb arrives as text without the ORM's converter
        api_key.scopes = json.loads(api_key.scopes)
    partner_fields = Partner._meta.concrete_fields
    owner_values = row[len(key_fields) :]
    if api_key.partner_id is not None:
        api_key.partner = Partner.from_db(
            connection.alias,
            [f.attname for f in partner_fields],
            owner_values[: len(partner_fields)],
        )
    else:
        api_key.partner = None
        api_key.manufacturer = Manufacturer.from_db(
            connection.alias,
            [f.attname for f in Manufacturer._meta.concrete_fields],
            owner_values[len(partner_fields) :],
        )
    if not hmac.compare_digest(api_key.hashed_key, hash_key(raw)):
        return None
    return api_key


def api_key_touch(*, api_key: ApiKey, now: datetime | None = None) -> None:
    """Records use at most once a minute, so busy keys do not cost a write per request."""
    now = now or timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < TOUCH_EVERY:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


# --- consent ----------------------------------------------------------------------------------


@transaction.atomic
def consent_grant(
    *, supplier: Supplier, partner: Partner, scope: str, by: User | None
) -> PartnerConsent:
    if scope not in PartnerConsent.Scope.values:
        raise ValidationError({"scope": _("Unknown consent.")}, code="unknown_consent")
    existing = PartnerConsent.objects.filter(
        supplier=supplier, partner=partner, scope=scope, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PartnerConsent.objects.create(
                supplier=supplier, partner=partner, scope=scope, granted_by=by
            )
    except IntegrityError:  # granted at the same moment in another tab
        return PartnerConsent.objects.get(
            supplier=supplier, partner=partner, scope=scope, revoked_at__isnull=True
        )


@transaction.atomic
def consent_revoke(*, supplier: Supplier, partner: Partner, scope: str, by: User | None) -> int:
    """Takes effect for the next API request: reads always check the live rows."""
    return PartnerConsent.objects.filter(
        supplier=supplier, partner=partner, scope=scope, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=by)


# --- an association's supplier writes -----------------------------------------------------------


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(
            {("non_field_errors" if name == "__all__" else name): m for name, m in errors.items()}
        )


def _plan(values: dict[str, str], existing: Supplier | None):
    """The CSV import's own parsing and validation (``suppliers.validation``, the form's rules),
    then its create-or-update plan."""
    values = {name: (values.get(name) or "").strip() for name in SUPPLIER.names()}
    if existing is not None:
        values["nib"] = existing.nib
        values["legal_name"] = values["legal_name"] or existing.legal_name
    item, errors = parse_row(values, References())
    [plan] = supplier_upsert_plan(items=[item])
    # Every problem at once, as the import reports a row: the rules on what could be read (a
    # value that could not be read has its problem already).
    for name, messages in plan.errors.items():
        errors.setdefault(name, messages)
    _raise(errors)
    return plan


def _assert_partner_writes(partner: Partner) -> None:
    if not partner.is_active:
        raise ValidationError(_("This partner organisation is not active."), code="inactive")


@transaction.atomic
def supplier_api_create(*, partner: Partner, values: dict[str, str]) -> Supplier:
    """An association registers a member company; it may update that company from then on.

    ``values`` are the supplier's fields as text, parsed as the CSV import parses its cells.
    """
    _assert_partner_writes(partner)
    nib = (values.get("nib") or "").strip()
    if nib and Supplier.objects.filter(nib=nib).exists():
        raise ValidationError(
            {
                "nib": _(
                    "A company with this NIB is already registered. Ask an administrator to "
                    "link it to your organisation."
                )
            },
            code="nib_taken",
        )
    if not nib:
        raise ValidationError({"nib": _("This field cannot be blank.")}, code="required")
    plan = _plan(values, existing=None)
    if plan.outcome != CREATED:  # pragma: no cover - guarded by the NIB check above
        raise ValidationError({"nib": _("A company with this NIB is already registered.")})
    try:
        with transaction.atomic():
            [supplier] = supplier_upsert_apply(plans=[plan])
    except IntegrityError as exc:  # the same NIB registered a moment ago
        raise ValidationError(
            {"nib": _("A company with this NIB is already registered.")}, code="nib_taken"
        ) from exc
    PartnerManagedSupplier.objects.create(partner=partner, supplier=supplier)
    return supplier


def partner_may_update(partner: Partner, supplier: Supplier) -> bool:
    return PartnerManagedSupplier.objects.filter(partner=partner, supplier=supplier).exists()


@transaction.atomic
def supplier_api_update(*, supplier: Supplier, values: dict[str, str]) -> Supplier:
    """Updates a company with the import's rules: what is left out or empty keeps its value,
    a list given replaces the stored list, certifications are merged by type."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    given_nib = (values.get("nib") or "").strip()
    if given_nib and given_nib != supplier.nib:
        raise ValidationError(
            {"nib": _("The NIB of a registered company cannot be changed.")}, code="nib_fixed"
        )
    plan = _plan(values, existing=supplier)
    supplier_upsert_apply(plans=[plan])
    return supplier
