"""Match screens (see ``buyer`` and ``supplier``)."""

from .buyer import buyer_overview, compare, decide, requirement_matches
from .supplier import (
    my_matches,
    my_readiness,
    readiness_overview,
    supplier_matches,
    supplier_readiness,
)

__all__ = [
    "buyer_overview",
    "compare",
    "decide",
    "my_matches",
    "my_readiness",
    "readiness_overview",
    "requirement_matches",
    "supplier_matches",
    "supplier_readiness",
]
