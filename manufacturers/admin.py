from django.contrib import admin

from suppliers import audit, verification

from .models import (
    Manufacturer,
    ManufacturerInvitation,
    ManufacturerMember,
    Requirement,
    RequirementAttachment,
    RequirementRevision,
)


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
        # A new name or NPWP of a verified buyer sends it back to the queue, as from its form.
        before = verification.stored_values(obj, Manufacturer.identity_fields) if change else None
        audited = audit.firm_before(obj if change else Manufacturer(), form.changed_data)
        super().save_model(request, obj, form, change)
        if before is not None:
            verification.identity_recheck(firm=obj, before=before, by=request.user)
        audit.firm_saved(obj, audited)


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


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
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
