"""Reads behind the API, shaped for JSON: ``.values()`` rows plus one query for everything else
a whole page shows, so a page of 50 suppliers costs two queries.

Who may see private supplier fields is decided here, in one place:
- a partner (API key): the UMKM's active contact consent for that partner (checked on every
  request, so a revocation applies to the very next one); a partner also sees the NIB of the
  companies it manages (created through the API or assigned by an administrator);
- a logged-in user: ``suppliers.selectors.can_see_private`` (the company's members, ministry
  staff, administrators), and a buyer whose introduction to that UMKM was accepted.

Which suppliers are listed at all: ``visible_supplier_values`` (a rejected company only to those
who must see it).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FullResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.query import ValuesIterable
from django.utils import timezone

from accounts.models import User
from partners.models import PartnerConsent, PartnerManagedSupplier, PartnerOrganisation
from suppliers.models import Supplier, SupplierCertification, VerificationStatus

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


COLUMNS = (*PUBLIC_COLUMNS, *PRIVATE_COLUMNS)


@functools.cache
def _all_supplier_values() -> QuerySet:
    rows = Supplier.objects.values(*COLUMNS)
    rows._iterable_class = _SupplierValues
    return rows


def supplier_values() -> QuerySet:
    """All suppliers as dicts of the columns the API shows (private ones are blanked later for
    callers without access); filter, order and slice it as any queryset.

    A clone of a queryset built once (setting up ``.values()`` of 21 columns costs more than the
    page's SQL takes to run), evaluated by ``_SupplierValues``."""
    return _all_supplier_values().all()


def visible_supplier_values(*, partner: PartnerOrganisation | None, user: User | None) -> QuerySet:
    """``supplier_values()`` without the companies the ministry rejected (offered to nobody, as
    in the engine), except for ministry staff and administrators, the company's own members and
    the partner that manages it."""
    rows = supplier_values()
    rejected = Q(verification_status=VerificationStatus.REJECTED)
    if partner is not None:
        managed = PartnerManagedSupplier.objects.filter(partner=partner).values("supplier_id")
        return rows.exclude(rejected & ~Q(pk__in=managed))
    if user is not None and user.is_ministry:
        return rows
    membership = getattr(user, "supplier_membership", None) if user is not None else None
    if membership is not None:
        return rows.exclude(rejected & ~Q(pk=membership.supplier_id))
    return rows.exclude(rejected)


class _SupplierValues(ValuesIterable):
    """``ValuesIterable`` for ``supplier_values()``: when the query is a plain filtered, ordered,
    sliced read of the supplier table (as the API's are), only its WHERE clause goes through the
    ORM's compiler; the column list and the ORDER BY, the costly part of compiling it on every
    request, are written from the model once. Anything else is compiled as usual."""

    def __iter__(self):
        queryset = self.queryset
        compiler = queryset.query.get_compiler(queryset.db)
        order_by = _plain_order_by(queryset.query, compiler.connection)
        if order_by is None:
            yield from super().__iter__()
            return
        try:
            where, params = compiler.compile(queryset.query.where)
        except EmptyResultSet:
            return
        except FullResultSet:
            where, params = "", []
        query = queryset.query
        sql = " ".join(
            part
            for part in (
                _select_sql(),
                f"WHERE {where}" if where else "",
                f"ORDER BY {order_by}" if order_by else "",
                compiler.connection.ops.limit_offset_sql(query.low_mark, query.high_mark),
            )
            if part
        )
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, params)
            for values in cursor.fetchall():
                yield dict(zip(COLUMNS, values, strict=True))


@functools.cache
def _select_sql() -> str:
    table = _table(Supplier)
    columns = ", ".join(
        f"{table}.{connection.ops.quote_name(Supplier._meta.get_field(name).column)}"
        for name in COLUMNS
    )
    return f"SELECT {columns} FROM {table}"  # noqa: S608 (names from the model)


_converters_needed: dict[str, bool] = {}


def _needs_converters(db) -> bool:
    # Values the backend returns as Python wants them need no converters (PostgreSQL); others
    # (SQLite's datetimes as text) take the ORM's usual path.
    if db.vendor not in _converters_needed:
        compiler = Supplier.objects.none().query.get_compiler(connection=db)
        table = Supplier._meta.db_table
        columns = [Supplier._meta.get_field(name).get_col(table) for name in COLUMNS]
        _converters_needed[db.vendor] = bool(compiler.get_converters(columns))
    return _converters_needed[db.vendor]


def _plain_order_by(query, db) -> str | None:
    """The ORDER BY of ``query`` when it is a plain read of the supplier table (else None)."""
    meta = Supplier._meta
    if (
        _needs_converters(db)
        or query.values_select != COLUMNS
        # Only the supplier table in FROM (joins set up for the columns and then trimmed
        # stay in alias_map with no references).
        or [alias for alias, count in query.alias_refcount.items() if count] != [meta.db_table]
        or query.annotations
        or query.extra
        or query.extra_order_by
        or query.distinct
        or query.group_by is not None
        or query.select_for_update
        or query.combinator
        or not query.standard_ordering
        or (not query.order_by and query.default_ordering and meta.ordering)
    ):
        return None
    terms = []
    for name in query.order_by:
        if not isinstance(name, str):
            return None
        attname = name.removeprefix("-")
        try:
            ordered_by = meta.pk if attname == "pk" else meta.get_field(attname)
        except FieldDoesNotExist:  # "?", "a__b", a mistake: the ORM's business
            return None
        if not ordered_by.concrete or ordered_by.is_relation:  # ordered by its model's ordering
            return None
        terms.append(
            f"{_table(Supplier)}.{db.ops.quote_name(ordered_by.column)} "
            + ("DESC" if name.startswith("-") else "ASC")
        )
    return ", ".join(terms)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ids_as_array() -> bool:
    # On PostgreSQL the page's ids are one array parameter ('{1,2,3}'): literal IN lists of 50
    # constants, one per table, cost more to plan (~2.5 ms a page) than to run.
    return connection.vendor == "postgresql"


@functools.cache
def _page_extras_sql(n: int, with_partner: bool, as_array: bool) -> str:
    """One UNION ALL over every table a page needs besides its rows: the code lists, the
    certificates and (for a partner) its consents and managed companies. Plain SQL built from
    the models' table names: a page costs one round trip and no ORM compilation."""
    marks = "= ANY(%s::bigint[])" if as_array else "IN ({})".format(", ".join(["%s"] * n))
    # Certificates first: their date column sets the type of the fourth column.
    parts = []
    parts.append(
        f"SELECT supplier_id, 'certifications', cert_type_id, valid_until "  # noqa: S608 (names from the models; values are parameters)
        f"FROM {_table(SupplierCertification)} WHERE supplier_id {marks}"
    )
    for name, column in LIST_FIELDS.items():
        through = Supplier._meta.get_field(name).remote_field.through
        parts.append(
            f"SELECT supplier_id, '{name}', {column}, NULL FROM {_table(through)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE supplier_id {marks}"
        )
    if with_partner:
        parts.append(
            f"SELECT supplier_id, 'contact', NULL, NULL FROM {_table(PartnerConsent)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE partner_id = %s AND scope = %s AND revoked_at IS NULL "
            f"AND supplier_id {marks}"
        )
        parts.append(
            f"SELECT supplier_id, 'managed', NULL, NULL FROM {_table(PartnerManagedSupplier)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE partner_id = %s AND supplier_id {marks}"
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
    as_array = _ids_as_array()
    marks = ["{" + ",".join(str(int(pk)) for pk in ids) + "}"] if as_array else list(ids)
    params: list = marks * (1 + len(LIST_FIELDS))
    if partner is not None:
        params += [partner.pk, PartnerConsent.Scope.CONTACT, *marks, partner.pk, *marks]
    sql = _page_extras_sql(0 if as_array else len(ids), partner is not None, as_array)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
        from introductions.models import Introduction

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
