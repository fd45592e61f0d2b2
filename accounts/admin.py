from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import privacy_admin  # also registers the consents and audit records (UU PDP)
from .models import User
from .services import email_address_mark_verified


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "preferred_language"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Administrators create ministry, partner and administrator accounts here."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "preferred_language", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "preferred_language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "role", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    readonly_fields = ["erased_at"]
    actions = ["erase_accounts"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    @admin.action(description=_("Delete the accounts and erase their personal data (UU PDP)"))
    def erase_accounts(self, request: HttpRequest, queryset) -> None:
        privacy_admin.erase_accounts(self, request, queryset)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not change:
            obj.email = User.objects.normalize_email(obj.email).lower()
            if obj.role == User.Role.ADMIN:
                obj.is_staff = True
        super().save_model(request, obj, form, change)
        if not change:
            # The administrator vouches for the address; without a verified address allauth
            # would refuse the log-in.
            email_address_mark_verified(user=obj)


# Outbox and notifications (issue 5).
from . import notification_admin  # noqa: E402, F401
