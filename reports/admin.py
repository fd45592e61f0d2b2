from django.contrib import admin

from .models import VerificationDecision


@admin.register(VerificationDecision)
class VerificationDecisionAdmin(admin.ModelAdmin):
    list_display = ["decided_at", "firm_kind", "firm_name", "decision", "decided_by"]
    list_filter = ["firm_kind", "decision"]
    search_fields = ["firm_name", "reason"]

    # An audit trail is read-only, even for administrators.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
