from django import forms
from django.contrib import admin
from django.contrib.messages import ERROR
from django.core.exceptions import ValidationError

from . import services, team
from .fields import CERTIFICATE_FIELDS, M2M_FIELDS, PROFILE_FIELDS, SUPPLIER
from .forms import CertificationRulesMixin, ProfileRulesMixin
from .models import (
    CertificateReminder,
    CertificationType,
    ComponentCategory,
    ImportJob,
    Kbli,
    Material,
    PartnershipPattern,
    Process,
    Province,
    Regency,
    SizeClass,
    Supplier,
    SupplierCertification,
    SupplierInvitation,
    SupplierMember,
    SupplierPhoto,
    VerificationDecision,
    VerificationReview,
)
from .validation import required_errors


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
    """Read-only here: roles and removals go through the member admin, which calls the team
    services (the last owner stays)."""

    model = SupplierMember
    extra = 0
    fields = readonly_fields = ["user", "role", "created_at"]
    can_delete = False
    max_num = 0


class CertificationAdminForm(CertificationRulesMixin, forms.ModelForm):
    class Meta:
        model = SupplierCertification
        fields = ["supplier", *CERTIFICATE_FIELDS]


class SupplierCertificationInline(admin.TabularInline):
    model = SupplierCertification
    form = CertificationAdminForm
    extra = 0
    fields = list(CERTIFICATE_FIELDS)


def save_certifications(formset: forms.BaseModelFormSet) -> None:
    """The admin's certificate rows through the certification services (which rescore the
    company's matches), never by the formset's own save."""
    # What the admin's history message lists (as the formset's own save would set them).
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.deleted_forms:
        if form.instance.pk is not None:
            formset.deleted_objects.append(form.instance)
            services.certification_delete(certification=form.instance)
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        values = {name: form.cleaned_data.get(name) for name in SupplierCertificationInline.fields}
        if form.instance.pk is None:
            supplier = form.instance.supplier if form.instance.supplier_id else formset.instance
            document = values.pop("document") or None
            form.instance = services.certification_add(
                supplier=supplier,
                cert_type=values["cert_type"],
                number=values["number"] or "",
                issuer=values["issuer"] or "",
                valid_until=values["valid_until"],
                local_content_pct=values["local_content_pct"],
                document=document,
            )
            formset.new_objects.append(form.instance)
        else:
            values = {name: values[name] for name in form.changed_data if name in values}
            if values.get("document") is False:  # "clear" ticked
                values["document"] = ""
            services.certification_update(certification=form.instance, data=values)
            formset.changed_objects.append((form.instance, form.changed_data))


class SupplierPhotoInline(admin.TabularInline):
    model = SupplierPhoto
    extra = 0
    fields = ["image", "caption"]


class SupplierAdminForm(ProfileRulesMixin, forms.ModelForm):
    """The profile's rules (``validation``) with the form's messages, as on every door."""

    class Meta:
        model = Supplier
        fields = [*PROFILE_FIELDS, *M2M_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, formfield in self.fields.items():
            if name in SUPPLIER.names():
                formfield.required = SUPPLIER[name].required

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, messages in required_errors(cleaned).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)
        return cleaned


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    form = SupplierAdminForm
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
        # Through the write services, as every other door: the same rules, the identity
        # re-verification of a verified company, the rescoring of its matches.
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in PROFILE_FIELDS or name in M2M_FIELDS
        }
        if change:
            services.supplier_update(supplier=obj, data=data, by=request.user)
        else:
            created = services.supplier_create(owner=None, data=data)
            obj.pk, obj._state = created.pk, created._state

    def save_related(self, request, form, formsets, change) -> None:
        # The lists were set by the service; only the inline rows remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is SupplierCertification:
            save_certifications(formset)
        else:
            super().save_formset(request, form, formset, change)


class SupplierMemberAdminForm(forms.ModelForm):
    class Meta:
        model = SupplierMember
        fields = ["user", "supplier", "role"]

    def clean(self):
        cleaned = super().clean()
        member = self.instance
        if member.pk and cleaned.get("role") == SupplierMember.Role.STAFF:
            stored = SupplierMember.objects.get(pk=member.pk)
            if team.is_last_owner(stored):
                raise ValidationError(team.LAST_OWNER_DEMOTED, code="last_owner")
        return cleaned


@admin.register(SupplierMember)
class SupplierMemberAdmin(admin.ModelAdmin):
    form = SupplierMemberAdminForm
    list_display = ["user", "supplier", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "supplier__legal_name", "supplier__nib"]
    autocomplete_fields = ["user", "supplier"]
    list_select_related = ["user", "supplier"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a membership to another person or firm is a removal and an invitation.
        return ["user", "supplier"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and team.is_last_owner(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if change and "role" in form.changed_data:
            team.supplier_member_role_change(member=obj, role=obj.role, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        team.supplier_member_remove(member=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for member in queryset.select_related("user"):
            try:
                team.supplier_member_remove(member=member, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{member.user.email}: {' '.join(exc.messages)}", ERROR)


@admin.register(SupplierInvitation)
class SupplierInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "supplier",
        "role",
        "invited_by",
        "created_at",
        "expires",
        "accepted_at",
    ]
    search_fields = ["email", "supplier__legal_name"]
    list_select_related = ["supplier", "invited_by"]
    readonly_fields = ["token", "invited_by", "accepted_at", "created_at"]
    autocomplete_fields = ["supplier"]


@admin.register(SupplierCertification)
class SupplierCertificationAdmin(admin.ModelAdmin):
    form = CertificationAdminForm
    list_display = ["supplier", "cert_type", "number", "issuer", "valid_until", "local_content_pct"]
    list_filter = ["cert_type", "valid_until"]
    search_fields = ["supplier__legal_name", "supplier__nib", "number", "issuer"]
    autocomplete_fields = ["supplier"]
    list_select_related = ["supplier", "cert_type"]

    def save_model(self, request, obj, form, change) -> None:
        # Through the certification services, which rescore the company's matches.
        values = {name: form.cleaned_data.get(name) for name in form.changed_data}
        if change:
            values.pop("supplier", None)
            if values.get("document") is False:
                values["document"] = ""
            services.certification_update(certification=obj, data=values)
        else:
            created = services.certification_add(
                supplier=obj.supplier,
                cert_type=obj.cert_type,
                number=obj.number,
                issuer=obj.issuer,
                valid_until=obj.valid_until,
                local_content_pct=obj.local_content_pct,
                document=form.cleaned_data.get("document") or None,
            )
            obj.pk, obj._state = created.pk, created._state

    def delete_model(self, request, obj) -> None:
        services.certification_delete(certification=obj)

    def delete_queryset(self, request, queryset) -> None:
        for certification in queryset:
            services.certification_delete(certification=certification)


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


@admin.register(CertificateReminder)
class CertificateReminderAdmin(_ReadOnlyAdmin):
    list_display = ["sent_at", "certification", "days_before", "valid_until", "requirements"]
    list_filter = ["days_before"]
    search_fields = ["certification__supplier__legal_name"]
    list_select_related = ["certification__supplier", "certification__cert_type"]


@admin.register(ImportJob)
class ImportJobAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "created_by", "file_name", "status", "rows_done", "rows_total"]
    list_filter = ["status"]
    exclude = ["file"]  # private: the uploader's data, not for download here
