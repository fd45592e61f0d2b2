"""Admin for introductions, partnerships and size records."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Introduction,
    IntroductionEvent,
    Partnership,
    PartnershipEvent,
    SupplierSizeRecord,
)


class IntroductionEventInline(admin.TabularInline):
    model = IntroductionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "from_status", "to_status", "note")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    # Read-only: transitions go through the services so the history and e-mails stay complete.
    list_display = ("requirement", "supplier", "direction", "status", "requested_at", "expires_at")
    list_filter = ("status", "direction")
    search_fields = ("requirement__reference", "requirement__title", "supplier__legal_name")
    list_select_related = ("requirement", "supplier")
    inlines = [IntroductionEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


class PartnershipEventInline(admin.TabularInline):
    model = PartnershipEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "changes")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("introduction", "pattern", "stage", "contract_value_idr", "start_date")
    list_filter = ("stage", "pattern", "technology_transfer", "financing")
    inlines = [PartnershipEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SupplierSizeRecord)
class SupplierSizeRecordAdmin(admin.ModelAdmin):
    list_display = ("supplier", "size_class", "revenue_band", "valid_from", "recorded_by")
    list_filter = ("size_class", "revenue_band")
    raw_id_fields = ("supplier", "recorded_by")
