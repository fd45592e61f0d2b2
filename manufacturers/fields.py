"""The fields of a requirement and of a manufacturer, declared once (see ``suppliers.fields``).

``REQUIREMENT`` gives its field list to the requirement form (``forms.RequirementForm``), the
services (``services.py``), the CSV import (``importing.py``: header and per-column parsing) and
the API's serializers (``config/api/serializers/requirements.py``); ``MANUFACTURER`` to the
manufacturer form and its services.
"""

from __future__ import annotations

from suppliers.fields import SCALAR_KINDS, Audience, Column, Definition, Field, Kind

from .models import Manufacturer, Requirement

TEXT, NUMBER, DATE, CODE, CODES = Kind.TEXT, Kind.NUMBER, Kind.DATE, Kind.CODE, Kind.CODES
REQUIREMENT_FORM = "requirement"
MANUFACTURER_FORM = "manufacturer"
OWNER = Audience.OWNER
PRICE_MAX = 10**15  # a unit price in IDR; far above any real part, below the column's range

# In the order of the API's representation. The import's header is a documented contract: the
# local-content columns came later, so a file may leave them out (``Column.optional``);
# ``quotes_open`` and ``quote_deadline`` (no columns) are set through the form and the API only.
REQUIREMENT = Definition(
    Requirement,
    (
        # The buyer: named in the import (created unverified when new), the signed-in buyer's
        # company in the form and the API.
        Field("manufacturer", Kind.OWNER, csv=Column("manufacturer", 2), required=True, key=True),
        Field(
            "reference",
            TEXT,
            form=REQUIREMENT_FORM,
            csv=Column("ref", 1),
            required=True,
            key=True,
        ),
        Field("title", TEXT, form=REQUIREMENT_FORM, csv=Column("title", 3), required=True),
        Field("component", CODE, form=REQUIREMENT_FORM, csv=Column("component", 4), required=True),
        Field("processes", CODES, form=REQUIREMENT_FORM, csv=Column("processes", 5)),
        Field("materials", CODES, form=REQUIREMENT_FORM, csv=Column("materials", 6)),
        Field(
            "required_certifications",
            CODES,
            form=REQUIREMENT_FORM,
            csv=Column("required_certifications", 7),
        ),
        Field(
            "preferred_certifications",
            CODES,
            form=REQUIREMENT_FORM,
            csv=Column("preferred_certifications", 8),
        ),
        Field(
            "annual_volume",
            NUMBER,
            form=REQUIREMENT_FORM,
            csv=Column("annual_volume", 9),
            required=True,
            min_value=1,
            max_value=2_000_000_000,
        ),
        Field(
            "target_price_min_idr",
            NUMBER,
            form=REQUIREMENT_FORM,
            csv=Column("target_price_min_idr", 10),
            audience=OWNER,
            max_value=PRICE_MAX,
        ),
        Field(
            "target_price_max_idr",
            NUMBER,
            form=REQUIREMENT_FORM,
            csv=Column("target_price_max_idr", 11),
            audience=OWNER,
            max_value=PRICE_MAX,
        ),
        Field("needed_by", DATE, form=REQUIREMENT_FORM, csv=Column("needed_by", 12), required=True),
        Field(
            "delivery_province",
            CODE,
            form=REQUIREMENT_FORM,
            csv=Column("delivery_province", 13),
            required=True,
        ),
        Field(
            "min_local_content_pct",
            NUMBER,
            form=REQUIREMENT_FORM,
            csv=Column("min_local_content_pct", 15, optional=True),
        ),
        # Makes the minimum a hard matching rule; needs a minimum (``validation``).
        Field(
            "local_content_required",
            Kind.FLAG,
            form=REQUIREMENT_FORM,
            csv=Column("local_content_required", 16, optional=True),
        ),
        Field("quotes_open", Kind.FLAG, form=REQUIREMENT_FORM),
        Field("quote_deadline", Kind.DATETIME, form=REQUIREMENT_FORM),
        Field("description", TEXT, form=REQUIREMENT_FORM, csv=Column("description", 14)),
    ),
)

# What a requirement create or update sets: columns of its own table, then many-to-many lists.
REQUIREMENT_FIELDS = REQUIREMENT.names(form=REQUIREMENT_FORM, kinds=SCALAR_KINDS)
REQUIREMENT_M2M_FIELDS = REQUIREMENT.names(form=REQUIREMENT_FORM, kinds=frozenset({CODES}))

MANUFACTURER = Definition(
    Manufacturer,
    (
        Field("name", TEXT, form=MANUFACTURER_FORM, required=True, identity=True),
        Field("kind", Kind.CHOICE, form=MANUFACTURER_FORM),
        Field("npwp", TEXT, form=MANUFACTURER_FORM, identity=True),
        Field("province", CODE, form=MANUFACTURER_FORM),
        Field("address", TEXT, form=MANUFACTURER_FORM),
        Field("website", TEXT, form=MANUFACTURER_FORM),
    ),
)
MANUFACTURER_FIELDS = MANUFACTURER.names(form=MANUFACTURER_FORM)
# A change to one of these sends a verified manufacturer back to the ministry's queue.
MANUFACTURER_IDENTITY = tuple(spec.name for spec in MANUFACTURER if spec.identity)
