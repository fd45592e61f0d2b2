"""Reads behind the API, shaped for JSON: ``.values()`` rows plus one query per related list for
a whole page, so a page of 50 suppliers costs a fixed handful of queries.

Who may see private supplier fields is decided here, in one place:
- a partner (API key): the UMKM's active contact consent for that partner (checked on every
  request, so a revocation applies to the very next one); a partner also sees the NIB of the
  companies it manages (created through the API or assigned by an administrator);
- a logged-in user: ``suppliers.selectors.can_see_private`` (the company's members, ministry
  staff, administrators), and a buyer whose introduction to that UMKM was accepted.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.api_models import PartnerConsent, PartnerManagedSupplier, PartnerOrganisation
from accounts.models import User
from suppliers.models import Supplier, SupplierCertification

PUBLIC_COLUMNS = (
    "id",
    "legal_name",
    "size_class_id",
    "province_id",
    "regency_id",
    "founded_year",
    "employees",
    "description",
    "website",
    "capacity_per_month",
    "lead_time_days",
    "min_order_qty",
    "verification_status",
    "verified_at",
    "created_at",
    "updated_at",
)
PRIVATE_COLUMNS = ("nib", "address", "contact_name", "contact_email", "contact_phone")
LIST_FIELDS = {"components": "componentcategory_id", "processes": "process_id"}
LIST_FIELDS |= {"materials": "material_id", "kbli": "kbli_id"}


def supplier_values(queryset: QuerySet[Supplier]) -> QuerySet:
    """The columns the API shows (private ones are blanked later for callers without access)."""
    return queryset.values(*PUBLIC_COLUMNS, *PRIVATE_COLUMNS)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def _page_extras_sql(n: int, with_partner: bool) -> str:
    """One UNION ALL over every table a page needs besides its rows: the code lists, the
    certificates and (for a partner) its consents and managed companies. Plain SQL built from
    the models' table names: a page costs one round trip and no ORM compilation."""
    marks = ", ".join(["%s"] * n)
    # Certificates first: their date column sets the type of the fourth column.
    parts = []
    parts.append(
        f"SELECT supplier_id, 'certifications', cert_type_id, valid_until "  # noqa: S608 (names from the models; values are parameters)
        f"FROM {_table(SupplierCertification)} WHERE supplier_id IN ({marks})"
    )
    for name, column in LIST_FIELDS.items():
        through = Supplier._meta.get_field(name).remote_field.through
        parts.append(
            f"SELECT supplier_id, '{name}', {column}, NULL FROM {_table(through)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE supplier_id IN ({marks})"
        )
    if with_partner:
        parts.append(
            f"SELECT supplier_id, 'contact', NULL, NULL FROM {_table(PartnerConsent)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE partner_id = %s AND scope = %s AND revoked_at IS NULL "
            f"AND supplier_id IN ({marks})"
        )
        parts.append(
            f"SELECT supplier_id, 'managed', NULL, NULL FROM {_table(PartnerManagedSupplier)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE partner_id = %s AND supplier_id IN ({marks})"
        )
    return " UNION ALL ".join(parts)


@dataclass
class _Extras:
    lists: dict[str, dict[int, list[str]]] = field(
        default_factory=lambda: {name: defaultdict(list) for name in LIST_FIELDS}
    )
    certifications: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    contact: set[int] = field(default_factory=set)
    managed: set[int] = field(default_factory=set)


def _page_extras(ids: Sequence[int], partner: PartnerOrganisation | None) -> _Extras:
    extras = _Extras()
    if not ids:
        return extras
    ids = list(ids)
    params: list = ids * (1 + len(LIST_FIELDS))
    if partner is not None:
        params += [partner.pk, PartnerConsent.Scope.CONTACT, *ids, partner.pk, *ids]
    with connection.cursor() as cursor:
        cursor.execute(_page_extras_sql(len(ids), partner is not None), params)
        rows = cursor.fetchall()
    for supplier_id, kind, code, valid_until in rows:
        if kind == "certifications":
            if isinstance(valid_until, str):  # SQLite returns dates as text
                valid_until = date.fromisoformat(valid_until)
            extras.certifications[supplier_id].append({"code": code, "valid_until": valid_until})
        elif kind == "contact":
            extras.contact.add(supplier_id)
        elif kind == "managed":
            extras.managed.add(supplier_id)
        else:
            extras.lists[kind][supplier_id].append(code)
    for by_supplier in extras.lists.values():
        for codes in by_supplier.values():
            codes.sort()
    for held in extras.certifications.values():
        # By type; within a type, no end date (never expires) first, then the latest.
        held.sort(key=lambda c: (c["code"], c["valid_until"] is not None, _descending(c)))
        for certificate in held:
            certificate["valid_until"] = _iso(certificate["valid_until"])
    return extras


def _iso(value) -> str | None:
    """Dates and UTC datetimes as the JSON renderer would write them, done here once: the
    renderer's per-value fallback is a noticeable share of a page's time."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def _descending(certificate: dict) -> int:
    until = certificate["valid_until"]
    return -until.toordinal() if until else 0


def _user_private_ids(user: User, ids: Sequence[int]) -> set[int]:
    if user.is_ministry:
        return set(ids)
    visible: set[int] = set()
    membership = getattr(user, "supplier_membership", None)
    if membership is not None:
        visible.add(membership.supplier_id)
    buyer = getattr(user, "manufacturer_membership", None)
    if buyer is not None:
        from matchmaking.models import Introduction

        visible |= set(
            Introduction.objects.filter(
                supplier_id__in=ids,
                requirement__manufacturer_id=buyer.manufacturer_id,
                status=Introduction.Status.ACCEPTED,
            ).values_list("supplier_id", flat=True)
        )
    return visible & set(ids)


def supplier_representations(
    rows: Sequence[dict], *, partner: PartnerOrganisation | None, user: User | None
) -> list[dict]:
    """JSON-ready suppliers (see ``serializers.SupplierSerializer`` for the documented shape)."""
    ids = [row["id"] for row in rows]
    extras = _page_extras(ids, partner)
    if partner is not None:
        private_ids = extras.contact
        nib_ids = private_ids | extras.managed
    elif user is not None:
        private_ids = nib_ids = _user_private_ids(user, ids)
    else:
        private_ids = nib_ids = set()
    lists = extras.lists
    certifications = extras.certifications
    result = []
    for row in rows:
        pk = row["id"]
        private = pk in private_ids
        result.append(
            {
                "id": pk,
                "legal_name": row["legal_name"],
                "nib": row["nib"] if pk in nib_ids else None,
                "size_class": row["size_class_id"],
                "province": row["province_id"],
                "regency": row["regency_id"],
                "founded_year": row["founded_year"],
                "employees": row["employees"],
                "description": row["description"],
                "website": row["website"],
                "kbli": lists["kbli"].get(pk, []),
                "components": lists["components"].get(pk, []),
                "processes": lists["processes"].get(pk, []),
                "materials": lists["materials"].get(pk, []),
                "certifications": certifications.get(pk, []),
                "capacity_per_month": row["capacity_per_month"],
                "lead_time_days": row["lead_time_days"],
                "min_order_qty": row["min_order_qty"],
                "verification_status": row["verification_status"],
                "verified_at": _iso(row["verified_at"]),
                "contact_visible": private,
                "address": row["address"] if private else None,
                "contact_name": row["contact_name"] if private else None,
                "contact_email": row["contact_email"] if private else None,
                "contact_phone": row["contact_phone"] if private else None,
                "created_at": _iso(row["created_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
        )
    return result


def holding_valid_certification(code: str, day: date | None = None) -> QuerySet:
    """Suppliers (as a ``supplier_id`` subquery) holding a valid certificate of this type or of
    one that implies it (IATF 16949 counts as ISO 9001; chains up to three deep)."""
    day = day or timezone.localdate()
    satisfies = (
        Q(cert_type_id=code)
        | Q(cert_type__implies_id=code)
        | Q(cert_type__implies__implies_id=code)
    )
    return SupplierCertification.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day), satisfies
    ).values("supplier_id")
