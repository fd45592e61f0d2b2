"""Supplier resources. Reads are built by ``selectors.supplier_representations`` (lean, values
based); ``SupplierSerializer`` documents that shape in the schema. Writes take the supplier's
fields and go through the CSV import's parsing and validation (``partners.services``). Both
take their fields from ``suppliers.fields.SUPPLIER``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from suppliers.fields import SUPPLIER, Audience, Field, Kind
from suppliers.models import VerificationStatus


class CertificationHeldSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    local_content_pct = serializers.FloatField(
        allow_null=True, help_text=_("Local content (TKDN %) a TKDN certificate states.")
    )


READ_HELP = {
    Audience.MANAGED: _("Only with the UMKM's contact consent, or for companies you manage."),
}


def _read_field(spec: Field) -> serializers.Field:
    if spec.kind is Kind.CODES:
        return serializers.ListField(child=serializers.CharField())
    if spec.kind is Kind.CERTIFICATIONS:
        return CertificationHeldSerializer(many=True)
    # Hidden fields are null for readers who may not see them.
    nullable = SUPPLIER.model_field(spec.name).null or spec.audience is not Audience.PUBLIC
    help_text = {"help_text": READ_HELP[spec.audience]} if spec.audience in READ_HELP else {}
    if spec.kind is Kind.NUMBER:
        return serializers.IntegerField(allow_null=nullable, **help_text)
    if spec.kind is Kind.CODE:
        return serializers.CharField(allow_null=nullable, **help_text)
    return serializers.CharField(allow_null=nullable, allow_blank=not spec.required, **help_text)


# Documents the shape ``selectors.supplier_representations`` builds (a comment, not a docstring:
# the schema would show it): the fields of ``suppliers.fields.SUPPLIER``, in their order, the
# contact fields after ``contact_visible``.
class SupplierSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        lead = [spec for spec in SUPPLIER if spec.audience is not Audience.CONTACT]
        contact = [spec for spec in SUPPLIER if spec.audience is Audience.CONTACT]
        return {
            "id": serializers.IntegerField(),
            **{spec.name: _read_field(spec) for spec in lead},
            "verification_status": serializers.ChoiceField(choices=VerificationStatus.choices),
            "verified_at": serializers.DateTimeField(allow_null=True),
            "contact_visible": serializers.BooleanField(
                help_text=_("Whether you may see the private contact fields of this company.")
            ),
            **{spec.name: _read_field(spec) for spec in contact},
            "created_at": serializers.DateTimeField(),
            "updated_at": serializers.DateTimeField(),
        }


class CertificationInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    valid_until = serializers.DateField(required=False, allow_null=True)
    # Checked by the import's rule (TKDN only, 0 to 100, required for a new TKDN certificate).
    local_content_pct = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=_("TKDN only: the local-content percentage the certificate states."),
    )


def _text(value) -> str:
    return "" if value is None else str(value)


def _certificate_text(item: dict) -> str:
    """One certificate as the CSV import writes it: ``CODE[:PCT][@YYYY-MM-DD]``."""
    text = item["code"]
    for separator in ";@:":
        text = text.replace(separator, " ")
    if item.get("local_content_pct") is not None:
        text += f":{item['local_content_pct']:g}"
    if item.get("valid_until"):
        text += f"@{item['valid_until'].isoformat()}"
    return text


# Input limits, generous: the import's parsing and the model's validators give the real
# messages (the same as the CSV import's).
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
WRITE_HELP = {"regency": _("Code (e.g. 3204) or name within the province.")}


def _write_field(spec: Field) -> serializers.Field:
    help_text = {"help_text": WRITE_HELP[spec.name]} if spec.name in WRITE_HELP else {}
    if spec.kind is Kind.NUMBER:
        return serializers.IntegerField(required=False, allow_null=True, **help_text)
    if spec.kind is Kind.CODES:
        return serializers.ListField(
            child=serializers.CharField(max_length=32), required=False, max_length=200
        )
    if spec.kind is Kind.CERTIFICATIONS:
        return CertificationInputSerializer(many=True, required=False, max_length=50)
    model_field = SUPPLIER.model_field(spec.name)
    long_text = spec.kind is Kind.TEXT and not getattr(model_field, "max_length", None)
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=LONG_TEXT_MAX if long_text else SHORT_TEXT_MAX,
        **help_text,
    )


# Its fields are those of ``suppliers.fields.SUPPLIER``.
class SupplierWriteSerializer(serializers.Serializer):
    """The CSV import's columns as JSON (``legal_name`` for its ``name``), plus the profile
    fields the import has no column for (``kbli``, ``website``, ``min_order_qty``, ``address``).
    Left out or empty keeps the stored value (on update); a list replaces the stored list;
    certifications are merged by type."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {spec.name: _write_field(spec) for spec in SUPPLIER}

    def to_values(self) -> dict[str, str]:
        """Every field as text, as the CSV import reads its cells (``suppliers.importing.rows``)."""
        data = self.validated_data
        values = {}
        for spec in SUPPLIER:
            value = data.get(spec.name)
            if spec.kind is Kind.CODES:
                # ";" separates items in a CSV cell, so it cannot appear inside a code.
                values[spec.name] = ";".join(code.replace(";", " ") for code in value or [])
            elif spec.kind is Kind.CERTIFICATIONS:
                values[spec.name] = ";".join(_certificate_text(item) for item in value or [])
            else:
                values[spec.name] = _text(value)
        return values
