"""The UMKM's consent page: which partners may read its contact details and its partnership
records through the API. The API checks the live rows, so a change applies at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from suppliers.models import Supplier, SupplierMember

from .models import PartnerConsent, PartnerOrganisation
from .services import consent_grant, consent_revoke


@login_required
def partner_consents(request: HttpRequest) -> HttpResponse:
    membership = getattr(request.user, "supplier_membership", None)
    if membership is None:
        raise PermissionDenied(_("This page is for UMKM companies."))
    supplier = membership.supplier
    can_change = membership.role == SupplierMember.Role.OWNER

    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Only the owner of the company account can do this."))
        partner_id = request.POST.get("partner", "")
        if not partner_id.isascii() or not partner_id.isdigit():
            # Only a forged form sends this; a clear answer, never a 500.
            messages.error(request, _("Unknown partner organisation."))
            return _page(request, supplier, can_change, status=400)
        partner = get_object_or_404(PartnerOrganisation, pk=int(partner_id), is_active=True)
        scope = request.POST.get("scope", "")
        if scope not in PartnerConsent.Scope.values:
            messages.error(request, _("Unknown consent."))
            return redirect("partner_consents")
        if request.POST.get("action") == "grant":
            consent_grant(supplier=supplier, partner=partner, scope=scope, by=request.user)
            messages.success(
                request, _("%(partner)s may now read this.") % {"partner": partner.name}
            )
        else:
            consent_revoke(supplier=supplier, partner=partner, scope=scope, by=request.user)
            messages.success(
                request, _("%(partner)s can no longer read this.") % {"partner": partner.name}
            )
        return redirect("partner_consents")
    return _page(request, supplier, can_change)


def _page(
    request: HttpRequest, supplier: Supplier, can_change: bool, status: int = 200
) -> HttpResponse:
    active = {
        (consent.partner_id, consent.scope): consent
        for consent in PartnerConsent.objects.filter(supplier=supplier, revoked_at__isnull=True)
    }
    rows = [
        {
            "partner": partner,
            "consents": [
                {"scope": scope, "label": label, "consent": active.get((partner.pk, scope))}
                for scope, label in PartnerConsent.Scope.choices
            ],
        }
        for partner in PartnerOrganisation.objects.filter(is_active=True).order_by("name")
    ]
    return render(
        request,
        "partners/consents.html",
        {"supplier": supplier, "rows": rows, "can_change": can_change},
        status=status,
    )
