"""Requirement resources. Everyone with access reads the public fields of open requirements;
target prices, the closing reason and the timestamps of a draft are for the owning buyer only
(null for others). Attachments (drawings) are never exposed through the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from manufacturers.models import Requirement
from suppliers.models import CertificationType, ComponentCategory, Material, Process, Province

OWNER_FIELDS = ("target_price_min_idr", "target_price_max_idr", "close_reason", "closed_at")
INT_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807


def _codes(model, **kwargs):
    return serializers.SlugRelatedField(slug_field="code", queryset=model.objects.all(), **kwargs)


class RequirementSerializer(serializers.ModelSerializer):
    manufacturer_name = serializers.CharField(source="manufacturer.name", read_only=True)
    component = serializers.CharField(source="component_id", read_only=True)
    delivery_province = serializers.CharField(source="delivery_province_id", read_only=True)
    processes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    materials = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    required_certifications = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    preferred_certifications = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    is_mine = serializers.SerializerMethodField(
        help_text=_("Whether your company posted it (then the price fields are filled).")
    )
    target_price_min_idr = serializers.IntegerField(allow_null=True, read_only=True)
    target_price_max_idr = serializers.IntegerField(allow_null=True, read_only=True)
    close_reason = serializers.CharField(allow_null=True, allow_blank=True, read_only=True)
    closed_at = serializers.DateTimeField(allow_null=True, read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "manufacturer",
            "manufacturer_name",
            "reference",
            "title",
            "component",
            "processes",
            "materials",
            "required_certifications",
            "preferred_certifications",
            "annual_volume",
            "needed_by",
            "delivery_province",
            "min_local_content_pct",
            "description",
            "status",
            "published_at",
            "is_mine",
            *OWNER_FIELDS,
            "updated_at",
        ]
        read_only_fields = fields

    def _is_mine(self, requirement: Requirement) -> bool:
        return requirement.manufacturer_id in self.context.get("own_manufacturer_ids", ())

    def get_is_mine(self, requirement: Requirement) -> bool:
        return self._is_mine(requirement)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._is_mine(instance):
            for name in OWNER_FIELDS:
                data[name] = None
        return data


class RequirementWriteSerializer(serializers.Serializer):
    """A buyer's draft or open requirement; the same rules as the browser form (services)."""

    reference = serializers.CharField(max_length=50)
    title = serializers.CharField(max_length=200)
    component = _codes(ComponentCategory)
    processes = _codes(Process, many=True, required=False)
    materials = _codes(Material, many=True, required=False)
    required_certifications = _codes(CertificationType, many=True, required=False)
    preferred_certifications = _codes(CertificationType, many=True, required=False)
    annual_volume = serializers.IntegerField(min_value=1, max_value=INT_MAX)
    target_price_min_idr = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=BIGINT_MAX
    )
    target_price_max_idr = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=BIGINT_MAX
    )
    needed_by = serializers.DateField()
    delivery_province = _codes(Province)
    min_local_content_pct = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)

    def service_data(self) -> dict:
        return dict(self.validated_data)


class RequirementCloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Requirement.CloseReason.choices)
