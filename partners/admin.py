"""Admin for partner organisations, API keys (the key is shown once, on the page after adding
it, and never stored) and consents."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    ApiKey,
    ApiScope,
    BuyerApiScope,
    PartnerConsent,
    PartnerManagedSupplier,
    PartnerMember,
    PartnerOrganisation,
    WebhookDelivery,
    WebhookEndpoint,
)
from .services import api_key_create, api_key_revoke


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ["partner", "name", "scopes", "rate_per_minute"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Here an administrator makes partner keys; buyer firms make their own on their page.
        if "partner" in self.fields:
            self.fields["partner"].required = True
        if self.instance.pk and self.instance.is_buyer_key:
            # A buyer firm's key never gets a partner's scopes.
            self.fields["scopes"].choices = BuyerApiScope.choices


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["prefix", "name", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ManagedSupplierInline(admin.TabularInline):
    model = PartnerManagedSupplier
    raw_id_fields = ["supplier"]
    extra = 0


class MemberInline(admin.TabularInline):
    # Members of an association may import UMKM lists in the browser.
    model = PartnerMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [MemberInline, ApiKeyInline, ManagedSupplierInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = [
        "prefix",
        "partner",
        "manufacturer",
        "name",
        "scope_list",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["partner", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "partner__name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["partner", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "name", "scopes", "rate_per_minute"]
        return [*self.get_readonly_fields(request, obj), "name", "scopes", "rate_per_minute"]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes or [])

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created, raw = api_key_create(
            partner=obj.partner,
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
            name=obj.name,
            rate_per_minute=obj.rate_per_minute,
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the saved row.
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = created._state.db
        obj._raw_key = raw

    def response_add(self, request, obj: ApiKey, post_url_continue=None):
        raw = getattr(obj, "_raw_key", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        # Rendered straight into this response: the key is in no message, cookie or session.
        return TemplateResponse(
            request,
            "admin/partners/apikey/created.html",
            {
                **self.admin_site.each_context(request),
                "title": _("API key created"),
                "api_key": obj,
                "raw_key": raw,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset) -> None:
        count = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=api_key, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(PartnerConsent)
class PartnerConsentAdmin(admin.ModelAdmin):
    """Consents are the UMKM's to give; administrators only read them here."""

    list_display = ["supplier", "partner", "scope", "granted_at", "revoked_at"]
    list_filter = ["scope", "partner"]
    search_fields = ["supplier__legal_name", "partner__name"]
    readonly_fields = [f.name for f in PartnerConsent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Webhook endpoints are registered on the partners' own pages (/partners/webhooks/, where
# administrators manage every partner's): the admin only lists them and their deliveries, and
# never shows a secret.
@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "is_active", "created_at", "secret_rotated_at"]
    list_filter = ["is_active", "partner"]
    fields = ["partner", "url", "description", "events", "is_active", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "next_attempt_at",
    ]
    list_filter = ["status"]
    list_select_related = ["event", "endpoint", "endpoint__partner"]
    fields = [*list_display, "last_error", "delivered_at", "body"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
