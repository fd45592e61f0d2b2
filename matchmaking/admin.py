from django.contrib import admin

from .models import Match, MatchDecision, PendingRescore, ReadinessSummary


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("requirement", "supplier", "rank", "score", "engine_version", "computed_at")
    list_filter = ("engine_version",)
    search_fields = ("requirement__reference", "supplier__legal_name", "supplier__nib")
    raw_id_fields = ("requirement", "supplier")
    list_select_related = ("requirement", "supplier")
    readonly_fields = ("score", "rank", "components", "facts", "engine_version", "computed_at")


@admin.register(MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    list_display = ("requirement", "supplier", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("requirement", "supplier", "decided_by")
    list_select_related = ("requirement", "supplier", "decided_by")


@admin.register(ReadinessSummary)
class ReadinessSummaryAdmin(admin.ModelAdmin):
    list_display = ("kind", "code", "province", "suppliers", "pairs", "batch", "computed_at")
    list_filter = ("kind", "code")


@admin.register(PendingRescore)
class PendingRescoreAdmin(admin.ModelAdmin):
    list_display = ("kind", "object_id", "requested_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "object_id", "requested_at")
