"""Supplier resources. Reads are built by ``selectors.supplier_representations`` (lean, values
based); ``SupplierSerializer`` documents that shape in the schema. Writes take the CSV import's
columns and go through its parsing and validation (``partners.services``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from suppliers.models import VerificationStatus


class CertificationHeldSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)


class SupplierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    nib = serializers.CharField(
        allow_null=True,
        help_text=_("Only with the UMKM's contact consent, or for companies you manage."),
    )
    size_class = serializers.CharField(allow_null=True)
    province = serializers.CharField(allow_null=True)
    regency = serializers.CharField(allow_null=True)
    founded_year = serializers.IntegerField(allow_null=True)
    employees = serializers.IntegerField(allow_null=True)
    description = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    kbli = serializers.ListField(child=serializers.CharField())
    components = serializers.ListField(child=serializers.CharField())
    processes = serializers.ListField(child=serializers.CharField())
    materials = serializers.ListField(child=serializers.CharField())
    certifications = CertificationHeldSerializer(many=True)
    capacity_per_month = serializers.IntegerField(allow_null=True)
    lead_time_days = serializers.IntegerField(allow_null=True)
    min_order_qty = serializers.IntegerField(allow_null=True)
    verification_status = serializers.ChoiceField(choices=VerificationStatus.choices)
    verified_at = serializers.DateTimeField(allow_null=True)
    contact_visible = serializers.BooleanField(
        help_text=_("Whether you may see the private contact fields of this company.")
    )
    address = serializers.CharField(allow_null=True, allow_blank=True)
    contact_name = serializers.CharField(allow_null=True, allow_blank=True)
    contact_email = serializers.CharField(allow_null=True, allow_blank=True)
    contact_phone = serializers.CharField(allow_null=True, allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CertificationInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    valid_until = serializers.DateField(required=False, allow_null=True)


def _text(value) -> str:
    return "" if value is None else str(value)


class SupplierWriteSerializer(serializers.Serializer):
    """The CSV import's columns as JSON. Left out or empty keeps the stored value (on update);
    a list replaces the stored list; certifications are merged by type."""

    nib = serializers.CharField(required=False, allow_blank=True, max_length=32)
    legal_name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    size_class = serializers.CharField(required=False, allow_blank=True, max_length=16)
    province = serializers.CharField(required=False, allow_blank=True, max_length=8)
    regency = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Code (e.g. 3204) or name within the province."),
    )
    employees = serializers.IntegerField(required=False, allow_null=True)
    founded_year = serializers.IntegerField(required=False, allow_null=True)
    capacity_per_month = serializers.IntegerField(required=False, allow_null=True)
    lead_time_days = serializers.IntegerField(required=False, allow_null=True)
    min_order_qty = serializers.IntegerField(required=False, allow_null=True)
    components = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=200
    )
    processes = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=200
    )
    materials = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=200
    )
    certifications = CertificationInputSerializer(many=True, required=False, max_length=50)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    address = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    website = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    contact_email = serializers.CharField(required=False, allow_blank=True, max_length=300)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def to_cells(self) -> tuple[dict[str, str], dict]:
        """The CSV cells (text, as the import reads them) and the extra typed fields."""
        data = self.validated_data
        cells = {
            "nib": _text(data.get("nib")),
            "name": _text(data.get("legal_name")),
            "size_class": _text(data.get("size_class")),
            "province": _text(data.get("province")),
            "regency": _text(data.get("regency")),
            "description": _text(data.get("description")),
            "contact_name": _text(data.get("contact_name")),
            "contact_email": _text(data.get("contact_email")),
            "contact_phone": _text(data.get("contact_phone")),
        }
        for column in ("employees", "founded_year", "capacity_per_month", "lead_time_days"):
            cells[column] = _text(data.get(column))
        for column in ("components", "processes", "materials"):
            # ";" separates items in a CSV cell, so it cannot appear inside a code.
            cells[column] = ";".join(code.replace(";", " ") for code in data.get(column) or [])
        cells["certifications"] = ";".join(
            f"{item['code'].replace(';', ' ').replace('@', ' ')}"
            + (f"@{item['valid_until'].isoformat()}" if item.get("valid_until") else "")
            for item in data.get("certifications") or []
        )
        extra = {
            name: data[name]
            for name in ("address", "website", "min_order_qty")
            if data.get(name) not in (None, "")
        }
        return cells, extra
