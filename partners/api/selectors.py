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

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FullResultSet
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesIterable

from accounts.models import User
from partners.models import PartnerConsent, PartnerManagedSupplier, PartnerOrganisation
from suppliers.fields import SUPPLIER, Audience, Field, Kind
from suppliers.models import Supplier, SupplierCertification, VerificationStatus


def _column(name: str) -> str:
    return SUPPLIER.model_field(name).attname  # "size_class_id" for a foreign key


# What the API reads of a supplier, from ``suppliers.fields.SUPPLIER``: the columns of its own
# table (public ones, then those shown only to some readers), and its code lists.
PUBLIC_COLUMNS = (
    "id",
    *(_column(s.name) for s in SUPPLIER if s.scalar and s.audience is Audience.PUBLIC),
    "verification_status",
    "verified_at",
    "created_at",
    "updated_at",
)
PRIVATE_COLUMNS = tuple(
    _column(s.name) for s in SUPPLIER if s.scalar and s.audience is not Audience.PUBLIC
)
LIST_FIELDS = {
    spec.name: SUPPLIER.model_field(spec.name).m2m_reverse_name()  # "process_id"
    for spec in SUPPLIER.of_kind(Kind.CODES)
}
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
        return rows.filter(
            RawSQL(  # noqa: S611 (SQL from the models; values are parameters)
                _partner_visible_sql(),
                [VerificationStatus.REJECTED.value, partner.pk],
                output_field=BooleanField(),
            )
        )
    if user is not None and user.is_ministry:
        return rows
    membership = getattr(user, "supplier_membership", None) if user is not None else None
    if membership is not None:
        return rows.exclude(rejected & ~Q(pk=membership.supplier_id))
    return rows.exclude(rejected)


@functools.cache
def _partner_visible_sql() -> str:
    """What ``rows.exclude(rejected & ~Q(pk__in=<the partner's managed ids>))`` compiles to, written
    once: building and compiling that filter with its subquery on every page of a partner's list
    took ~11% of the request's Python time (profiled at 1,000,000 UMKM). Same SQL, so the same
    plan; the managed companies are read by the database on every request as before."""
    table = _table(Supplier)
    status = connection.ops.quote_name(Supplier._meta.get_field("verification_status").column)
    pk = connection.ops.quote_name(Supplier._meta.pk.column)
    managed = _table(PartnerManagedSupplier)
    supplier_id, partner_id = (
        connection.ops.quote_name(PartnerManagedSupplier._meta.get_field(name).column)
        for name in ("supplier", "partner")
    )
    return (
        f"NOT ({table}.{status} = %s AND NOT ({table}.{pk} IN "  # noqa: S608 (names from the models; the partner is a parameter)
        f"(SELECT U0.{supplier_id} FROM {managed} U0 WHERE U0.{partner_id} = %s)))"
    )


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


@functools.cache
def _needs_converters() -> bool:
    # The plain read hands the driver's values through as they come: a column that needs the
    # ORM's converters (a field with from_db_value) makes every query take the ORM's path.
    compiler = Supplier.objects.none().query.get_compiler(connection=connection)
    table = Supplier._meta.db_table
    columns = [Supplier._meta.get_field(name).get_col(table) for name in COLUMNS]
    return bool(compiler.get_converters(columns))


def _plain_order_by(query, db) -> str | None:
    """The ORDER BY of ``query`` when it is a plain read of the supplier table (else None)."""
    meta = Supplier._meta
    if (
        _needs_converters()
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


@functools.cache
def _page_extras_sql(with_partner: bool) -> str:
    """One UNION ALL over every table a page needs besides its rows: the code lists, the
    certificates and (for a partner) its consents and managed companies. Plain SQL built from
    the models' table names: a page costs one round trip and no ORM compilation."""
    # The page's ids are one array parameter ('{1,2,3}'): literal IN lists of 50 constants, one
    # per table, cost more to plan (~2.5 ms a page) than to run.
    marks = "= ANY(%s::bigint[])"
    # Certificates first: their date column sets the type of the fourth column.
    parts = []
    parts.append(
        f"SELECT supplier_id, 'certifications', cert_type_id, valid_until, "  # noqa: S608 (names from the models; values are parameters)
        f"local_content_pct "
        f"FROM {_table(SupplierCertification)} WHERE supplier_id {marks}"
    )
    for name, column in LIST_FIELDS.items():
        through = Supplier._meta.get_field(name).remote_field.through
        parts.append(
            f"SELECT supplier_id, '{name}', {column}, NULL, NULL FROM {_table(through)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE supplier_id {marks}"
        )
    if with_partner:
        parts.append(
            f"SELECT supplier_id, 'contact', NULL, NULL, NULL FROM {_table(PartnerConsent)} "  # noqa: S608 (names from the models; values are parameters)
            f"WHERE partner_id = %s AND scope = %s AND revoked_at IS NULL "
            f"AND supplier_id {marks}"
        )
        parts.append(
            f"SELECT supplier_id, 'managed', NULL, NULL, NULL "  # noqa: S608 (names from the models; values are parameters)
            f"FROM {_table(PartnerManagedSupplier)} "
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
    marks = ["{" + ",".join(str(int(pk)) for pk in ids) + "}"]
    params: list = marks * (1 + len(LIST_FIELDS))
    if partner is not None:
        params += [partner.pk, PartnerConsent.Scope.CONTACT, *marks, partner.pk, *marks]
    sql = _page_extras_sql(partner is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for supplier_id, kind, code, valid_until, pct in rows:
        if kind == "certifications":
            extras.certifications[supplier_id].append(
                {
                    "code": code,
                    "valid_until": valid_until,
                    "local_content_pct": None if pct is None else float(pct),
                }
            )
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
        item = {"id": pk}
        for name, how, column in _LEAD:
            if how is _PLAIN:
                item[name] = row[column]
            elif how is _LIST:
                item[name] = lists[name].get(pk, [])
            elif how is _CERTIFICATIONS:
                item[name] = certifications.get(pk, [])
            elif how is _MANAGED:
                item[name] = row[column] if pk in nib_ids else None
            else:
                item[name] = row[column] if private else None
        item["verification_status"] = row["verification_status"]
        item["verified_at"] = _iso(row["verified_at"])
        item["contact_visible"] = private
        for name, column in _CONTACT:
            item[name] = row[column] if private else None
        item["created_at"] = _iso(row["created_at"])
        item["updated_at"] = _iso(row["updated_at"])
        result.append(item)
    return result


# How ``supplier_representations`` fills each field of ``SUPPLIER``, worked out once: the
# contact fields come after ``contact_visible``, every other field before it, in order.
_PLAIN, _LIST, _CERTIFICATIONS, _MANAGED, _HIDDEN = "plain", "list", "certs", "managed", "hidden"


def _how(spec: Field) -> str:
    if spec.kind is Kind.CODES:
        return _LIST
    if spec.kind is Kind.CERTIFICATIONS:
        return _CERTIFICATIONS
    return {Audience.PUBLIC: _PLAIN, Audience.MANAGED: _MANAGED}.get(spec.audience, _HIDDEN)


_LEAD = [
    (spec.name, _how(spec), _column(spec.name) if spec.scalar else None)
    for spec in SUPPLIER
    if spec.audience is not Audience.CONTACT
]
_CONTACT = [
    (spec.name, _column(spec.name)) for spec in SUPPLIER if spec.audience is Audience.CONTACT
]
