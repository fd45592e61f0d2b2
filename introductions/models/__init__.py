"""Introductions (double opt-in), partnerships, quotations, conversations and the dated
size-class history.

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
from .message import MESSAGE_MAX_LENGTH, Message, MessageAttachment, ThreadReadState
from .quotation import Quotation, QuotationFile, QuotationRevision, QuotationTier

__all__ = [
    "INTRODUCTION_TTL",
    "MESSAGE_MAX_LENGTH",
    "REMINDER_AFTER",
    "Introduction",
    "IntroductionEvent",
    "Message",
    "MessageAttachment",
    "Partnership",
    "PartnershipEvent",
    "Quotation",
    "QuotationFile",
    "QuotationRevision",
    "QuotationTier",
    "SupplierSizeRecord",
    "ThreadReadState",
]
