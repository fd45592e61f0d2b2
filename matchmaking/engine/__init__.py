"""The matching engine: pure numpy / scipy on arrays, no ORM (see ``core`` for the rules)."""

from .arrays import (
    NO_END_DATE,
    VERIFICATION_CODES,
    RequirementArrays,
    SupplierArrays,
    build_requirements,
    build_suppliers,
    concat_rows,
)
from .core import (
    CLOSENESS,
    COMPONENTS,
    ENGINE_VERSION,
    NEAR_MISS_MIN_SCORE,
    WEIGHTS,
    Engine,
    NearMisses,
    centi,
    distance_class,
    distance_score,
    near_misses,
    top_k,
)
from .vocabulary import ProvinceInfo, Vocabulary, haversine_km

__all__ = [
    "CLOSENESS",
    "COMPONENTS",
    "ENGINE_VERSION",
    "NEAR_MISS_MIN_SCORE",
    "NO_END_DATE",
    "VERIFICATION_CODES",
    "WEIGHTS",
    "Engine",
    "NearMisses",
    "ProvinceInfo",
    "RequirementArrays",
    "SupplierArrays",
    "Vocabulary",
    "build_requirements",
    "build_suppliers",
    "centi",
    "concat_rows",
    "distance_class",
    "distance_score",
    "haversine_km",
    "near_misses",
    "top_k",
]
