"""Admin for the data-protection records (read-only) and the erasure of an account on request;
imported by accounts.admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AuditRecord, PrivacyConsent
from .privacy import user_erase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "actor",
        "actor_label",
        "door",
        "action",
        "object_kind",
        "object_id",
        "firm_kind",
        "firm_id",
    )
    list_filter = ("action", "door", "object_kind", "firm_kind")
    search_fields = ("actor__email", "actor_label", "=object_id", "=firm_id")
    date_hierarchy = "at"
    list_select_related = ("actor",)


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(ReadOnlyAdmin):
    list_display = ("accepted_at", "user", "notice_version")
    list_filter = ("notice_version",)
    search_fields = ("user__email",)
    list_select_related = ("user",)


@admin.action(description=_("Delete the accounts and erase their personal data (UU PDP)"))
def erase_accounts(modeladmin, request: HttpRequest, queryset) -> None:
    """For a person who asks by e-mail: the same erasure as "Delete my account"."""
    count = 0
    for user in queryset.filter(erased_at__isnull=True):
        user_erase(user=user)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d account erased.", "%(count)d accounts erased.", count)
        % {"count": count},
        messages.SUCCESS,
    )
