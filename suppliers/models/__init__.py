from .reference import (
    CertificationType,
    ComponentCategory,
    Kbli,
    Material,
    PartnershipPattern,
    Process,
    Province,
    Regency,
    SizeClass,
)
from .supplier import (
    Supplier,
    SupplierCertification,
    SupplierMember,
    SupplierPhoto,
    Verifiable,
    VerificationStatus,
)

__all__ = [
    "CertificationType",
    "ComponentCategory",
    "Kbli",
    "Material",
    "PartnershipPattern",
    "Process",
    "Province",
    "Regency",
    "SizeClass",
    "Supplier",
    "SupplierCertification",
    "SupplierMember",
    "SupplierPhoto",
    "Verifiable",
    "VerificationStatus",
]
