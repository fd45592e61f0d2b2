"""Bulk import of supplier lists (CSV) and the bulk create-or-update service it shares with
``seed_demo``. See ``csv_common`` for what every CSV import shares (file contract, report),
``csv_import`` for the supplier import and ``upsert`` for the update rules."""

from .csv_common import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ImportFileError,
    ImportReport,
    Problem,
    RowResult,
)
from .csv_import import SupplierRowResult, import_suppliers_file
from .rows import COLUMNS
from .upsert import (
    SupplierUpsert,
    supplier_upsert_apply,
    supplier_upsert_plan,
    suppliers_bulk_saved,
)

__all__ = [
    "COLUMNS",
    "CREATED",
    "REJECTED",
    "UNCHANGED",
    "UPDATED",
    "ImportFileError",
    "ImportReport",
    "Problem",
    "RowResult",
    "SupplierRowResult",
    "SupplierUpsert",
    "import_suppliers_file",
    "supplier_upsert_apply",
    "supplier_upsert_plan",
    "suppliers_bulk_saved",
]
