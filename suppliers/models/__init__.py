from .imports import ImportJob
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
from .reminders import CertificateReminder
from .supplier import (
    Supplier,
    SupplierCertification,
    SupplierMember,
    SupplierPhoto,
    Verifiable,
    VerificationStatus,
)
from .team import SupplierInvitation
from .verification import FirmKind, VerificationDecision, VerificationReview

__all__ = [
    "CertificateReminder",
    "CertificationType",
    "ComponentCategory",
    "FirmKind",
    "ImportJob",
    "Kbli",
    "Material",
    "PartnershipPattern",
    "Process",
    "Province",
    "Regency",
    "SizeClass",
    "Supplier",
    "SupplierCertification",
    "SupplierInvitation",
    "SupplierMember",
    "SupplierPhoto",
    "Verifiable",
    "VerificationDecision",
    "VerificationReview",
    "VerificationStatus",
]
