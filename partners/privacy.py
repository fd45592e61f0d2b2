"""What the partners app keeps about a person's firm, for "download my data" (connected to
``accounts.signals`` in ``PartnersConfig.ready``). Consents stay when the person leaves: they are
the firm's, and the rows keep pointing at the anonymised account."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.export import ExportPart
from accounts.models import User

from .models import PartnerConsent


def export_personal_data(sender, *, user: User, **kwargs) -> list[ExportPart]:
    membership = getattr(user, "supplier_membership", None)
    if membership is None:
        return []
    consents = PartnerConsent.objects.filter(supplier_id=membership.supplier_id).select_related(
        "partner"
    )
    return [
        ExportPart(
            "partner_consents",
            _("What your company let partners (banks, associations, BUMN programs) see."),
            [
                {
                    "partner": c.partner.name,
                    "scope": c.scope,
                    "granted_at": c.granted_at,
                    "granted_by_you": c.granted_by_id == user.pk,
                    "revoked_at": c.revoked_at,
                }
                for c in consents.order_by("pk")
            ],
        )
    ]
