"""The supplier profile's fields, declared once.

A firm's data reaches Rantai through several doors: the profile forms, ``import_suppliers``, the
partner API (reads, and association writes) and the demo seed. Each door takes its field list
from ``SUPPLIER`` instead of keeping its own:

- the forms (``forms.py``): ``Meta.fields`` of each profile step, and which fields are required;
- the write services (``services.py``): which attributes a create or update may set;
- the CSV import (``importing/rows.py``): the header, and how each column is parsed (by kind);
- the partner API: the serializers' fields and the selector's columns (``config/api/``).

What a field is (its type, length, validators, label) stays on the model; ``Definition`` gives
each door the model field too (``model_field``), and the rules every door checks are derived
from both (``suppliers/validation.py``, ``manufacturers/validation.py``). Requirements and
manufacturers are declared the same way in ``manufacturers/fields.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .models import Supplier
from .models.supplier import TKDN_CODE


class Kind(StrEnum):
    """How a value is written outside the database (a CSV cell, a JSON value, a form input)."""

    TEXT = "text"  # free text; empty means "not given" in the import and the API
    NUMBER = "number"  # a whole number
    DATE = "date"  # YYYY-MM-DD
    CHOICE = "choice"  # one of the model field's choices
    FLAG = "flag"  # yes or no
    CODE = "code"  # one row of a reference table, by its code (a foreign key)
    CODES = "codes"  # rows of a reference table, by their codes (many-to-many)
    CERTIFICATIONS = "certifications"  # certificates held: a code and an optional end date
    OWNER = "owner"  # the firm a record belongs to (set by the door, never by the data)
    DATETIME = "datetime"  # a moment (ISO 8601 in the API)


# Kinds stored in a column of the model's own table.
SCALAR_KINDS = frozenset(
    {Kind.TEXT, Kind.NUMBER, Kind.DATE, Kind.CHOICE, Kind.CODE, Kind.FLAG, Kind.DATETIME}
)


class Audience(StrEnum):
    """Who reads the field through the partner API (``config/api/selectors.py`` decides)."""

    PUBLIC = "public"  # whoever may read the record
    CONTACT = "contact"  # those who may see the firm's contact details (its consent)
    MANAGED = "managed"  # as CONTACT, and also the partner that manages the firm
    OWNER = "owner"  # only the firm that owns the record


@dataclass(frozen=True)
class Column:
    """A column of an import's header: its name and where the documented header puts it
    (1 is the first column). The header's order is a documented contract (README)."""

    name: str
    position: int
    # A file may leave it out (a column added after the header was published: older files
    # stay valid); a file that has it is read as any other column.
    optional: bool = False


@dataclass(frozen=True)
class Field:
    name: str  # the model attribute; the API uses the same name
    kind: Kind
    form: str | None = None  # the form (profile step) that edits it; None: no form does
    csv: Column | None = None  # its column in the import; None: the import cannot set it
    required: bool = False  # must have a value (the form's rule)
    key: bool = False  # finds the record in the import's and the API's create-or-update
    identity: bool = False  # part of what the ministry verified
    audience: Audience = Audience.PUBLIC
    min_value: int | None = None  # lowest number accepted, when above the model's own range
    max_value: int | None = None  # highest number accepted, when below the model's own range

    @property
    def scalar(self) -> bool:
        return self.kind in SCALAR_KINDS


def _position(spec: Field) -> int:
    return spec.csv.position if spec.csv else 0


@dataclass(frozen=True)
class Definition:
    """The ordered fields of one model (the order of the API's representation)."""

    model: type[models.Model]
    fields: tuple[Field, ...]
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {spec.name: spec for spec in self.fields}
        if len(by_name) != len(self.fields):
            raise ValueError(f"{self.model.__name__}: a field is declared twice")
        object.__setattr__(self, "_by_name", by_name)
        for spec in self.fields:
            self.model_field(spec.name)  # raises FieldDoesNotExist for a typo
        positions = sorted(spec.csv.position for spec in self.fields if spec.csv)
        if positions != list(range(1, len(positions) + 1)):
            raise ValueError(f"{self.model.__name__}: CSV positions must be 1..n, each once")

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        return self._by_name[name]

    def names(
        self, *, form: str | None = None, kinds: frozenset[Kind] | None = None
    ) -> tuple[str, ...]:
        """Field names in order, optionally only those of one form and of some kinds."""
        return tuple(
            spec.name
            for spec in self.fields
            if (form is None or spec.form == form) and (kinds is None or spec.kind in kinds)
        )

    def of_kind(self, *kinds: Kind) -> tuple[Field, ...]:
        return tuple(spec for spec in self.fields if spec.kind in kinds)

    @property
    def in_header_order(self) -> tuple[Field, ...]:
        """The fields the import reads, in the order of its documented header."""
        return tuple(sorted((spec for spec in self.fields if spec.csv), key=_position))

    @property
    def header(self) -> tuple[str, ...]:
        """The import's columns, in the documented order."""
        return tuple(spec.csv.name for spec in self.in_header_order)

    @property
    def optional_columns(self) -> tuple[str, ...]:
        return tuple(spec.csv.name for spec in self.in_header_order if spec.csv.optional)

    @property
    def column_of_field(self) -> dict[str, str]:
        return {spec.name: spec.csv.name for spec in self.fields if spec.csv}

    @property
    def field_of_column(self) -> dict[str, str]:
        return {spec.csv.name: spec.name for spec in self.fields if spec.csv}

    def model_field(self, name: str):
        return self.model._meta.get_field(name)

    def related_model(self, name: str) -> type[models.Model]:
        return self.model_field(name).related_model

    def number_range(self, name: str) -> tuple[int | None, int | None]:
        """The lowest and highest number the field takes: its model field's validators (which
        include the database column's range) and the declared ``min_value`` / ``max_value``."""
        low, high = self[name].min_value, self[name].max_value
        for validator in self.model_field(name).validators:
            if isinstance(validator, MinValueValidator):
                low = validator.limit_value if low is None else max(low, validator.limit_value)
            elif isinstance(validator, MaxValueValidator):
                high = validator.limit_value if high is None else min(high, validator.limit_value)
        return low, high


TEXT, NUMBER, CODE, CODES = Kind.TEXT, Kind.NUMBER, Kind.CODE, Kind.CODES
COMPANY, CAPABILITIES, CERTIFICATIONS = "company", "capabilities", "certifications"
CONTACT = Audience.CONTACT

# In the order of the API's representation. Differences between the doors that remain on
# purpose: the import's header is a documented contract, so the fields without a ``csv``
# column (kbli, website, min_order_qty, address) are set through the forms and the API only.
SUPPLIER = Definition(
    Supplier,
    (
        Field(
            "legal_name",
            TEXT,
            form=COMPANY,
            csv=Column("name", 2),
            required=True,
            identity=True,
        ),
        Field(
            "nib",
            TEXT,
            form=COMPANY,
            csv=Column("nib", 1),
            required=True,
            key=True,
            identity=True,
            audience=Audience.MANAGED,
        ),
        Field("size_class", CODE, form=COMPANY, csv=Column("size_class", 3)),
        # Required on every door (``validation``); in the import a regency code gives its
        # province.
        Field(
            "province",
            CODE,
            form=COMPANY,
            csv=Column("province", 4),
            required=True,
            identity=True,
        ),
        Field("regency", CODE, form=COMPANY, csv=Column("regency", 5), required=True),
        Field("founded_year", NUMBER, form=COMPANY, csv=Column("founded_year", 7)),
        Field("employees", NUMBER, form=COMPANY, csv=Column("employees", 6)),
        Field("description", TEXT, form=COMPANY, csv=Column("description", 14)),
        Field("website", TEXT, form=COMPANY),
        Field("kbli", CODES, form=COMPANY),
        Field("components", CODES, form=CAPABILITIES, csv=Column("components", 8)),
        Field("processes", CODES, form=CAPABILITIES, csv=Column("processes", 9)),
        Field("materials", CODES, form=CAPABILITIES, csv=Column("materials", 10)),
        Field(
            "certifications",
            Kind.CERTIFICATIONS,
            form=CERTIFICATIONS,
            csv=Column("certifications", 11),
        ),
        Field(
            "capacity_per_month",
            NUMBER,
            form=CAPABILITIES,
            csv=Column("capacity_per_month", 12),
            min_value=1,
        ),
        Field("lead_time_days", NUMBER, form=CAPABILITIES, csv=Column("lead_time_days", 13)),
        Field("min_order_qty", NUMBER, form=CAPABILITIES, min_value=1),
        Field("address", TEXT, form=COMPANY, audience=CONTACT),
        Field("contact_name", TEXT, form=COMPANY, csv=Column("contact_name", 15), audience=CONTACT),
        Field(
            "contact_email", TEXT, form=COMPANY, csv=Column("contact_email", 16), audience=CONTACT
        ),
        Field(
            "contact_phone", TEXT, form=COMPANY, csv=Column("contact_phone", 17), audience=CONTACT
        ),
    ),
)

# What a profile create or update sets: columns of the supplier table, then many-to-many lists.
# Certifications have their own services (they carry documents).
PROFILE_FIELDS = SUPPLIER.names(kinds=SCALAR_KINDS)
M2M_FIELDS = SUPPLIER.names(kinds=frozenset({Kind.CODES}))

# A certificate held, on every door that records one (the certifications step, the admin, the
# import's ``CODE:PCT@YYYY-MM-DD`` cells, the API's certification objects).
CERTIFICATE_FIELDS = (
    "cert_type",
    "number",
    "issuer",
    "valid_until",
    "local_content_pct",
    "document",
)
# The certification types whose certificates state a local-content percentage (and must).
LOCAL_CONTENT_TYPES = frozenset({TKDN_CODE})
LOCAL_CONTENT_RANGE = (0, 100)
