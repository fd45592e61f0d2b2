"""Requirement resources. Everyone with access reads the public fields of open requirements;
target prices, the closing reason and the timestamps of a draft are for the owning buyer only
(null for others). Attachments (drawings) are never exposed through the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from manufacturers.fields import REQUIREMENT, REQUIREMENT_FORM
from manufacturers.models import Requirement
from suppliers.fields import Audience, Field, Kind

# Shown to the buyer that posted the requirement only (null for everyone else).
OWNER_FIELDS = (
    *(spec.name for spec in REQUIREMENT if spec.audience is Audience.OWNER),
    "close_reason",
    "closed_at",
)


def _codes(model, **kwargs):
    return serializers.SlugRelatedField(slug_field="code", queryset=model.objects.all(), **kwargs)


def _read_field(spec: Field) -> serializers.Field | None:
    """The declared field for ``spec``, or None where the model's own field is right."""
    if spec.kind is Kind.CODE:
        return serializers.CharField(source=f"{spec.name}_id", read_only=True)
    if spec.kind is Kind.CODES:
        return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    if spec.audience is Audience.OWNER and spec.kind is Kind.NUMBER:
        return serializers.IntegerField(allow_null=True, read_only=True)
    return None


class RequirementSerializer(serializers.ModelSerializer):
    # Its fields are those of ``manufacturers.fields.REQUIREMENT``, the buyer's own after
    # ``is_mine``.
    manufacturer_name = serializers.CharField(source="manufacturer.name", read_only=True)
    is_mine = serializers.SerializerMethodField(
        help_text=_("Whether your company posted it (then the price fields are filled).")
    )
    close_reason = serializers.CharField(allow_null=True, allow_blank=True, read_only=True)
    closed_at = serializers.DateTimeField(allow_null=True, read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "manufacturer",
            "manufacturer_name",
            *(
                spec.name
                for spec in REQUIREMENT
                if spec.kind is not Kind.OWNER and spec.audience is not Audience.OWNER
            ),
            "status",
            "published_at",
            "is_mine",
            *OWNER_FIELDS,
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for spec in REQUIREMENT:
            declared = _read_field(spec)
            if declared is not None:
                fields[spec.name] = declared
        return fields

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


# Longest description accepted (the model's text field has no limit of its own).
LONG_TEXT_MAX = 10_000


def _write_field(spec: Field) -> serializers.Field:
    optional = {} if spec.required else {"required": False, "allow_null": True}
    if spec.kind is Kind.TEXT:
        max_length = REQUIREMENT.model_field(spec.name).max_length or LONG_TEXT_MAX
        if spec.required:
            return serializers.CharField(max_length=max_length)
        return serializers.CharField(required=False, allow_blank=True, max_length=max_length)
    if spec.kind is Kind.CODE:
        return _codes(REQUIREMENT.related_model(spec.name), required=spec.required)
    if spec.kind is Kind.CODES:
        return _codes(REQUIREMENT.related_model(spec.name), many=True, required=False)
    if spec.kind is Kind.NUMBER:
        low, high = REQUIREMENT.number_range(spec.name)
        return serializers.IntegerField(min_value=low, max_value=high, **optional)
    if spec.kind is Kind.DATE:
        return serializers.DateField(**optional)
    raise ValueError(f"No API field for {spec.name} ({spec.kind})")


class RequirementWriteSerializer(serializers.Serializer):
    """A buyer's draft or open requirement; the same rules as the browser form (services)."""

    # Its fields are those of ``manufacturers.fields.REQUIREMENT`` that the buyer edits.
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            spec.name: _write_field(spec) for spec in REQUIREMENT if spec.form == REQUIREMENT_FORM
        }

    def service_data(self) -> dict:
        return dict(self.validated_data)


class RequirementCloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Requirement.CloseReason.choices)
