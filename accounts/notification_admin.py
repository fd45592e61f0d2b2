"""Admin for the outbox (with "retry now") and notifications; imported by accounts.admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import outbox
from .models import EmailPreference, Notification, OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "template",
        "recipient",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "template", "language")
    search_fields = ("recipient", "idempotency_key")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False  # rows come from the services, with their idempotency keys

    @admin.action(description=_("Retry the selected e-mails now"))
    def retry_now(self, request, queryset) -> None:
        count = outbox.outbox_retry(emails=list(queryset))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "read_at")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "weekly_digest", "last_digest_at")
    list_filter = ("weekly_digest",)
    raw_id_fields = ("user",)
