"""Admin for introductions, partnerships and size records."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

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
    list_display = (
        "requirement",
        "supplier",
        "direction",
        "status",
        "requested_at",
        "expires_at",
        "message_count",
    )
    # The conversation's size, never its content: messages are private to the two firms.
    readonly_fields = ("message_count",)
    list_filter = ("status", "direction")
    search_fields = ("requirement__reference", "requirement__title", "supplier__legal_name")
    list_select_related = ("requirement", "supplier")
    inlines = [IntroductionEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_message_count=Count("messages"))

    @admin.display(description=_("messages"), ordering="_message_count")
    def message_count(self, obj: Introduction) -> int:
        return obj._message_count

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
