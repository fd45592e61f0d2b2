"""Quotations on introductions: the rules (``rules``), who may see and do what (``access``), the
writes (``services``) and the buyer's comparison (``compare``)."""

from .award import quotation_award, quotation_round_close
from .rules import Offer
from .services import (
    quotation_shortlist,
    quotation_submit,
    quotation_withdraw,
)

__all__ = [
    "Offer",
    "quotation_award",
    "quotation_round_close",
    "quotation_shortlist",
    "quotation_submit",
    "quotation_withdraw",
]
