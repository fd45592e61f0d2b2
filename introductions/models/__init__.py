"""Introductions (double opt-in), partnerships, quotations and the dated size-class history.

One module per part of the journey; everything is importable from ``introductions.models``.
"""

from .introduction import (
    INTRODUCTION_TTL,
    REMINDER_AFTER,
    Introduction,
    IntroductionEvent,
    Partnership,
    PartnershipEvent,
    SupplierSizeRecord,
)
from .quotation import Quotation, QuotationFile, QuotationRevision, QuotationTier

__all__ = [
    "INTRODUCTION_TTL",
    "REMINDER_AFTER",
    "Introduction",
    "IntroductionEvent",
    "Partnership",
    "PartnershipEvent",
    "Quotation",
    "QuotationFile",
    "QuotationRevision",
    "QuotationTier",
    "SupplierSizeRecord",
]
