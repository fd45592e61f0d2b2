"""The UMKM's consent page (which partners may read its contact details and its partnership
records through the API; the API checks the live rows, so a change applies at once), and the
buyer firm's API keys page (its owners create and revoke keys that read the firm's own
quotations and awards)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.confirm import confirmation_page, is_confirmed
from manufacturers.models import Manufacturer
from manufacturers.selectors import manufacturers_visible_to, membership_of
from suppliers.models import Supplier, SupplierMember

from .forms import BuyerApiKeyForm
from .models import ApiKey, PartnerConsent, PartnerOrganisation
from .services import buyer_api_key_create, buyer_api_key_revoke, consent_grant, consent_revoke


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
            if not is_confirmed(request):
                # Without scripts the dialog cannot ask; this page does (accounts/confirm.py).
                return confirmation_page(
                    request,
                    title=_("Withdraw this permission?"),
                    question=_(
                        "%(partner)s will no longer be able to read: %(what)s. Withdraw this "
                        "permission? You can allow it again later."
                    )
                    % {"partner": partner.name, "what": PartnerConsent.Scope(scope).label},
                    button=_("Withdraw"),
                    cancel_url=reverse("partner_consents"),
                )
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


# --- a buyer firm's own API keys ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def buyer_api_keys(request: HttpRequest, pk: int) -> HttpResponse:
    # Another firm's page answers 404 (its existence is not confirmed); ministry staff, who see
    # every firm, and the firm's staff members get 403: only owners manage keys.
    manufacturer = get_object_or_404(manufacturers_visible_to(request.user), pk=pk)
    membership = membership_of(request.user)
    if not (membership and membership.manufacturer_id == manufacturer.pk and membership.is_owner):
        raise PermissionDenied(_("Only the owners of the company can manage its API keys."))

    form = BuyerApiKeyForm()
    created = raw_key = None
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            return _revoke(request, manufacturer)
        form = BuyerApiKeyForm(request.POST)
        if form.is_valid():
            created, raw_key = buyer_api_key_create(
                manufacturer=manufacturer,
                by=request.user,
                scopes=form.cleaned_data["scopes"],
                name=form.cleaned_data["name"],
            )
            form = BuyerApiKeyForm()
        else:
            status = 400
    response = render(
        request,
        "partners/buyer_api_keys.html",
        {
            "manufacturer": manufacturer,
            "form": form,
            "created": created,
            "raw_key": raw_key,
            "keys": ApiKey.objects.filter(manufacturer=manufacturer).select_related("created_by"),
        },
        status=status,
    )
    # The new key is in this page alone: never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


def _revoke(request: HttpRequest, manufacturer: Manufacturer) -> HttpResponse:
    key_id = request.POST.get("key", "")
    if not key_id.isascii() or not key_id.isdigit():
        messages.error(request, _("Unknown API key."))
        return redirect("buyer_api_keys", pk=manufacturer.pk)
    if not is_confirmed(request):
        api_key = get_object_or_404(ApiKey, pk=int(key_id), manufacturer=manufacturer)
        return confirmation_page(
            request,
            title=_("Revoke this key?"),
            question=_(
                "Revoke the key %(prefix)s? The systems that use it can no longer read the API. "
                "This cannot be undone."
            )
            % {"prefix": api_key.prefix},
            button=_("Revoke key"),
            cancel_url=reverse("buyer_api_keys", args=[manufacturer.pk]),
        )
    try:
        api_key = buyer_api_key_revoke(
            manufacturer=manufacturer, by=request.user, key_id=int(key_id)
        )
    except ApiKey.DoesNotExist:
        messages.error(request, _("Unknown API key."))
    else:
        messages.success(
            request,
            _("The key %(prefix)s is revoked: it no longer opens the API.")
            % {"prefix": api_key.prefix},
        )
    return redirect("buyer_api_keys", pk=manufacturer.pk)
