from django.contrib import admin

from . import audit
from .models import (
    CertificationType,
    ComponentCategory,
    Kbli,
    Material,
    PartnershipPattern,
    Process,
    Province,
    Regency,
    SizeClass,
    Supplier,
    SupplierCertification,
    SupplierMember,
    SupplierPhoto,
    VerificationDecision,
    VerificationReview,
)
from .verification import identity_recheck, stored_values


class RegencyInline(admin.TabularInline):
    model = Regency
    extra = 0
    fields = ["code", "name"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "island_group", "capital"]
    list_filter = ["island_group"]
    search_fields = ["code", "name", "capital"]
    inlines = [RegencyInline]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(Kbli)
class KbliAdmin(admin.ModelAdmin):
    list_display = ["code", "title_id", "title_en"]
    search_fields = ["code", "title_id", "title_en"]


@admin.register(SizeClass)
class SizeClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "rank", "capital_max_idr", "annual_sales_max_idr"]
    search_fields = ["code", "name_id", "name_en"]


@admin.register(ComponentCategory)
class ComponentCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["parent"]


@admin.register(Process, Material, PartnershipPattern)
class BilingualReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en"]
    search_fields = ["code", "name_id", "name_en"]


@admin.register(CertificationType)
class CertificationTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "implies"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class SupplierMemberInline(admin.TabularInline):
    model = SupplierMember
    extra = 0
    autocomplete_fields = ["user"]


class SupplierCertificationInline(admin.TabularInline):
    model = SupplierCertification
    extra = 0
    fields = ["cert_type", "number", "issuer", "valid_until", "document"]


class SupplierPhotoInline(admin.TabularInline):
    model = SupplierPhoto
    extra = 0
    fields = ["image", "caption"]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = [
        "legal_name",
        "nib",
        "province",
        "regency",
        "size_class",
        "verification_status",
        "updated_at",
    ]
    list_filter = ["verification_status", "size_class", "province", "processes"]
    search_fields = ["legal_name", "nib", "contact_name", "contact_email"]
    list_select_related = ["province", "regency", "size_class"]
    autocomplete_fields = ["regency"]
    filter_horizontal = ["kbli", "components", "processes", "materials"]
    # The ministry decides in its queue (one service records and announces every decision): the
    # admin shows the verification but does not set it.
    readonly_fields = [
        "created_at",
        "updated_at",
        "verification_status",
        "verification_reason",
        "verified_at",
        "verified_by",
    ]
    inlines = [SupplierMemberInline, SupplierCertificationInline, SupplierPhotoInline]

    def save_model(self, request, obj, form, change) -> None:
        # A new NIB, legal name or province of a verified company sends it back to the queue,
        # as from every other door.
        before = stored_values(obj, Supplier.identity_fields) if change else None
        # The audit record is written once the lists (saved after this) are saved too.
        form.audit_before = audit.firm_before(obj if change else Supplier(), form.changed_data)
        super().save_model(request, obj, form, change)
        if before is not None:
            identity_recheck(firm=obj, before=before, by=request.user)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        audit.firm_saved(form.instance, form.audit_before)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not SupplierCertification:
            return super().save_formset(request, form, formset, change)
        before = audit.certifications_before(formset)
        formset.save()
        audit.certifications_saved(formset, before)


@admin.register(SupplierMember)
class SupplierMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "supplier", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "supplier__legal_name", "supplier__nib"]
    autocomplete_fields = ["user", "supplier"]
    list_select_related = ["user", "supplier"]


@admin.register(SupplierCertification)
class SupplierCertificationAdmin(admin.ModelAdmin):
    list_display = ["supplier", "cert_type", "number", "issuer", "valid_until"]
    list_filter = ["cert_type", "valid_until"]
    search_fields = ["supplier__legal_name", "supplier__nib", "number", "issuer"]
    autocomplete_fields = ["supplier"]
    list_select_related = ["supplier", "cert_type"]

    def save_model(self, request, obj, form, change) -> None:
        held = SupplierCertification.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if form.changed_data:
            audit.certification_recorded(
                obj,
                audit.Action.CERTIFICATION_CHANGED if held else audit.Action.CERTIFICATION_ADDED,
                valid_until_before=held.valid_until if held else None,
                fields=form.changed_data,
            )

    def delete_model(self, request, obj) -> None:
        audit.certification_recorded(obj, audit.Action.CERTIFICATION_REMOVED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for certification in queryset:
            audit.certification_recorded(certification, audit.Action.CERTIFICATION_REMOVED)
        super().delete_queryset(request, queryset)


@admin.register(SupplierPhoto)
class SupplierPhotoAdmin(admin.ModelAdmin):
    list_display = ["supplier", "caption", "created_at"]
    search_fields = ["supplier__legal_name", "caption"]
    autocomplete_fields = ["supplier"]
    list_select_related = ["supplier"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    # An audit trail is read-only, even for administrators.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VerificationDecision)
class VerificationDecisionAdmin(_ReadOnlyAdmin):
    list_display = ["decided_at", "firm_kind", "firm_name", "decision", "decided_by"]
    list_filter = ["firm_kind", "decision"]
    search_fields = ["firm_name", "reason"]


@admin.register(VerificationReview)
class VerificationReviewAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "firm_kind", "firm_name", "reason", "closed_at"]
    list_filter = ["firm_kind", "reason"]
    search_fields = ["firm_name", "message", "rejection_reason"]
