from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .fields import MANUFACTURER_FIELDS, REQUIREMENT_FIELDS, REQUIREMENT_M2M_FIELDS
from .models import (
    Manufacturer,
    ManufacturerInvitation,
    ManufacturerMember,
    Requirement,
    RequirementAttachment,
    RequirementRevision,
)
from .validation import requirement_errors


class MemberInline(admin.TabularInline):
    model = ManufacturerMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "verification_status", "created_at"]
    list_filter = ["verification_status", "kind", "province"]
    search_fields = ["name", "npwp"]
    # The ministry decides in its queue (one service records and announces every decision): the
    # admin shows the verification but does not set it.
    readonly_fields = [
        "verification_status",
        "verification_reason",
        "verified_at",
        "verified_by",
        "created_at",
        "updated_at",
    ]
    inlines = [MemberInline]

    def save_model(self, request, obj, form, change) -> None:
        # Through the write services, as from its form: a new name or NPWP of a verified buyer
        # sends it back to the queue.
        data = {
            name: value for name, value in form.cleaned_data.items() if name in MANUFACTURER_FIELDS
        }
        if change:
            services.manufacturer_update(manufacturer=obj, data=data, by=request.user)
        else:
            created = services.manufacturer_create(owner=None, data=data)
            obj.pk, obj._state = created.pk, created._state


@admin.register(ManufacturerInvitation)
class ManufacturerInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "manufacturer", "invited_by", "created_at", "expires", "accepted_at"]
    search_fields = ["email", "manufacturer__name"]
    readonly_fields = ["token"]


class AttachmentInline(admin.TabularInline):
    model = RequirementAttachment
    extra = 0
    fields = ["original_name", "size", "uploaded_by", "created_at"]
    readonly_fields = fields


class RevisionInline(admin.TabularInline):
    model = RequirementRevision
    extra = 0
    fields = ["changed_at", "changed_by", "changes"]
    readonly_fields = fields


EDITABLE = [*REQUIREMENT_FIELDS, *REQUIREMENT_M2M_FIELDS]


class RequirementAdminForm(forms.ModelForm):
    """The requirement's rules (``validation``) with the form's messages, as on every door."""

    class Meta:
        model = Requirement
        fields = ["manufacturer", *EDITABLE]

    def clean(self) -> dict:
        cleaned = super().clean()
        # Before ``_post_clean`` the instance still holds the stored values.
        stored = self.instance if self.instance.pk else None
        data = {name: cleaned[name] for name in EDITABLE if name in cleaned}
        errors = requirement_errors(data, requirement=stored)
        needed_by = cleaned.get("needed_by")
        if stored is not None and stored.is_closed:
            self.add_error(None, _("This requirement is closed and can no longer be changed."))
        elif stored is not None and stored.is_open and needed_by and needed_by < self._today():
            errors.setdefault(
                "needed_by", [_("The needed-by date has passed; choose a date from today on.")]
            )
        for name, messages in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)
        return cleaned

    def _post_clean(self) -> None:
        # The model's own clean() repeats the price rule: say it once.
        super()._post_clean()
        for errors in self._errors.values():
            texts: list[str] = []
            kept = []
            for error in errors.as_data():
                text = " ".join(error.messages)
                if text not in texts:
                    texts.append(text)
                    kept.append(error)
            errors.data = kept

    @staticmethod
    def _today():
        return timezone.localdate()


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    form = RequirementAdminForm
    # Status changes go through the services (publish/close), so they are read-only here.
    list_display = ["reference", "title", "manufacturer", "component", "status", "needed_by"]
    list_filter = ["status", "close_reason", "component__parent"]
    search_fields = ["reference", "title", "manufacturer__name"]
    raw_id_fields = ["manufacturer", "created_by"]
    readonly_fields = ["status", "close_reason", "published_at", "closed_at", "created_at"]
    filter_horizontal = [
        "processes",
        "materials",
        "required_certifications",
        "preferred_certifications",
    ]
    inlines = [AttachmentInline, RevisionInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # The buyer of a requirement is fixed once it exists (as in the form and the API).
        fixed = ["manufacturer", "created_by"] if obj is not None else ["created_by"]
        return [*self.readonly_fields, *fixed]

    def save_model(self, request, obj, form, change) -> None:
        # Through the write services, as every other door: the same rules, a revision of what
        # changed on an open requirement, the rescoring of its matches.
        data = {name: value for name, value in form.cleaned_data.items() if name in EDITABLE}
        if change:
            services.requirement_update(requirement=obj, changed_by=request.user, data=data)
        else:
            created = services.requirement_create(
                manufacturer=form.cleaned_data["manufacturer"], created_by=request.user, data=data
            )
            obj.pk, obj._state = created.pk, created._state

    def save_related(self, request, form, formsets, change) -> None:
        # The lists were set by the service; only the inline rows remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
