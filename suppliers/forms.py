"""Browser forms for the supplier profile. They validate and clean; services.py does the writes."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .fields import CAPABILITIES, CERTIFICATE_FIELDS, COMPANY, SUPPLIER
from .models import (
    CertificationType,
    ComponentCategory,
    Kbli,
    Material,
    Process,
    Province,
    Regency,
    SizeClass,
    Supplier,
    SupplierCertification,
    SupplierMember,
    SupplierPhoto,
)
from .validation import SEPARATORS_RE, certification_errors, field_errors, normalise_phone
from .validators import (
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_TOO_LARGE,
    DOCUMENT_WRONG_TYPE,
    NIB_RE,
    PHOTO_EXTENSIONS,
    PHOTO_MAX_BYTES,
    PHOTO_TOO_LARGE,
    PHOTO_WRONG_TYPE,
    upload_attrs,
)

COMPANY_FIELDS = list(SUPPLIER.names(form=COMPANY))
CAPABILITY_FIELDS = list(SUPPLIER.names(form=CAPABILITIES))


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class ProfileRulesMixin:
    """The profile's rules (``validation.field_errors``) beside each field, as every other door
    gets them from the services; a field that already failed its own check is not told twice."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, messages in field_errors(cleaned).items():
            target = name if name in self.fields else None
            if target is not None and target in self.errors:
                continue
            for message in messages:
                self.add_error(target, message)
        return cleaned


class CompanyForm(ProfileRulesMixin, forms.ModelForm):
    nib = forms.CharField(
        label=_("NIB"),
        max_length=40,
        help_text=_("Nomor Induk Berusaha: 13 digits, as printed on the OSS certificate."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"unique": _("This NIB is already registered by another company.")},
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_phone = forms.CharField(
        label=_("Phone / WhatsApp"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = Supplier
        fields = COMPANY_FIELDS
        formfield_callback = _formfield
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "kbli": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
            "founded_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "employees": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        apply_definition(self)
        self.fields["legal_name"].widget.attrs["autocomplete"] = "organization"
        # No maxlength in the browser: it cuts a pasted 360-character name silently at 200;
        # the server says what is wrong and keeps what was typed.
        self.fields["legal_name"].widget.attrs.pop("maxlength", None)
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["size_class"].queryset = SizeClass.objects.order_by("rank")
        self.fields["kbli"].queryset = Kbli.objects.order_by("code")
        self.fields["province"].queryset = Province.objects.order_by("name")
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("suppliers:regencies"),
                "hx-target": "#id_regency",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        self.fields["regency"].queryset = Regency.objects.all()
        # Only the regencies of the chosen province are offered; the server still checks.
        self.fields["regency"].widget.choices = regency_choices(self._selected_province())

    def _selected_province(self) -> str | None:
        if self.is_bound:
            return self.data.get(self.add_prefix("province")) or None
        return self.initial.get("province") or (
            self.instance.province_id if self.instance else None
        )

    def clean_nib(self) -> str:
        nib = SEPARATORS_RE.sub("", self.cleaned_data["nib"])
        if not NIB_RE.match(nib):
            raise forms.ValidationError(
                _("NIB must be exactly 13 digits (numbers only)."), code="invalid_nib"
            )
        return nib

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone", "").strip()
        return normalise_phone(value) if value else ""


def regency_choices(province_code: str | None) -> list[tuple[str, str]]:
    choices = [("", _("Choose a province first") if not province_code else "---------")]
    if province_code:
        choices += list(
            Regency.objects.filter(province_id=province_code)
            .order_by("name")
            .values_list("code", "name")
        )
    return choices


class CapabilitiesForm(ProfileRulesMixin, forms.ModelForm):
    class Meta:
        model = Supplier
        fields = CAPABILITY_FIELDS
        widgets = {
            "processes": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
            "materials": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
            "capacity_per_month": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "lead_time_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "min_order_qty": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Companies make part families (levels 2 and 3); systems are only the grouping.
        self.fields["components"].queryset = ComponentCategory.objects.filter(level__gte=2)
        self.fields["processes"].queryset = Process.objects.all()
        self.fields["materials"].queryset = Material.objects.all()
        apply_definition(self)

    def selected_components(self) -> set[str]:
        value = self["components"].value() or []
        return {str(getattr(item, "pk", item)) for item in value}


def apply_definition(form: forms.BaseForm) -> None:
    """Which fields are required, as ``fields.SUPPLIER`` declares them (the other rules it
    declares are checked in ``ProfileRulesMixin.clean``)."""
    for name, formfield in form.fields.items():
        spec = SUPPLIER[name]
        formfield.required = spec.required
        if spec.min_value is not None:
            # One rule, one message: the declared minimum (checked with the other rules) replaces
            # the model's ">= 0".
            formfield.validators = [
                v for v in formfield.validators if not isinstance(v, MinValueValidator)
            ]
            formfield.widget.attrs["min"] = spec.min_value


class CertificationRulesMixin:
    """The local-content rule (``validation.certification_errors``) beside its field, as the
    certification services apply it on every other door."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "local_content_pct" in self.fields and "local_content_pct" not in self.errors:
            cert_type = cleaned.get("cert_type") or getattr(self.instance, "cert_type_id", None)
            errors = certification_errors(cert_type, cleaned.get("local_content_pct"))
            for name, messages in errors.items():
                self.add_error(name, messages)
        return cleaned


class CertificationForm(CertificationRulesMixin, forms.ModelForm):
    class Meta:
        model = SupplierCertification
        fields = list(CERTIFICATE_FIELDS)
        help_texts = {
            "local_content_pct": _("Only for a TKDN certificate: the percentage it states."),
        }
        widgets = {
            "local_content_pct": forms.NumberInput(
                attrs={"inputmode": "decimal", "step": "0.01", "min": "0", "max": "100"}
            ),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "document": forms.ClearableFileInput(
                attrs=upload_attrs(
                    max_bytes=DOCUMENT_MAX_BYTES,
                    too_large=DOCUMENT_TOO_LARGE,
                    wrong_type=DOCUMENT_WRONG_TYPE,
                    extensions=DOCUMENT_EXTENSIONS,
                    accept="application/pdf,image/jpeg,image/png",
                )
            ),
        }


class PhotoForm(forms.ModelForm):
    class Meta:
        model = SupplierPhoto
        fields = ["image", "caption"]
        widgets = {
            "image": forms.ClearableFileInput(
                attrs=upload_attrs(
                    max_bytes=PHOTO_MAX_BYTES,
                    too_large=PHOTO_TOO_LARGE,
                    wrong_type=PHOTO_WRONG_TYPE,
                    extensions=PHOTO_EXTENSIONS,
                    accept="image/jpeg,image/png,image/webp",
                )
            ),
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


# A trailing reference term in brackets: "Perakitan rangkaian kabel (wiring harness)".
_BRACKETED_TAIL_RE = re.compile(r"\s*\([^()]*\)\s*$")


class ShortProcessChoiceField(forms.ModelChoiceField):
    """A closed select on a 360 px phone has room for about 30 characters and cannot wrap: the
    filter names each process without the bracketed reference term its full name ends with."""

    def label_from_instance(self, obj: Process) -> str:
        return _BRACKETED_TAIL_RE.sub("", obj.name) or obj.name


class DirectoryFilterForm(forms.Form):
    """The directory's filters, the same as the API's (suppliers.selectors.filter_suppliers)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the name or description, e.g. cetak, perakitan kabel."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.order_by("name"), required=False
    )
    system = forms.ModelChoiceField(
        label=_("Component system"),
        queryset=ComponentCategory.objects.filter(level=1),
        required=False,
    )
    process = ShortProcessChoiceField(
        label=_("Process"), queryset=Process.objects.all(), required=False
    )
    material = forms.ModelChoiceField(
        label=_("Material"), queryset=Material.objects.all(), required=False
    )
    certification = forms.ModelChoiceField(
        label=_("Valid certification"),
        queryset=CertificationType.objects.all(),
        required=False,
    )
    verified = forms.BooleanField(label=_("Verified only"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Codes in the address, as in the API (?material=ALUMINIUM&certification=ISO9001).
        for name in ("province", "system", "process", "material", "certification"):
            self.fields[name].to_field_name = "code"


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=SupplierMember.Role.choices,
        initial=SupplierMember.Role.STAFF,
        help_text=_(
            "Staff answer introductions and keep the capabilities up to date; owners also "
            "change the company's identity and its team."
        ),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SupplierMember.Role.choices)
