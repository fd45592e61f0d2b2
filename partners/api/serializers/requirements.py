"""Requirement resources. Everyone with access reads the public fields of open requirements;
target prices, the closing reason and the timestamps of a draft are for the owning buyer only
(null for others). Attachments (drawings) are never exposed through the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from manufacturers.fields import REQUIREMENT, REQUIREMENT_FORM
from manufacturers.models import Requirement
from manufacturers.validation import requirement_errors
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


def _write_field(spec: Field) -> serializers.Field:
    # Lengths and ranges are the form's rules
    # (``manufacturers.validation``), checked in ``validate`` with the form's messages.
    # Required fields are listed as such in the schema; a blank or null one gets the rules'
    # message.
    optional = {"required": False, "allow_null": True}
    if spec.required:
        optional = {"required": True}
    if spec.kind is Kind.TEXT:
        return serializers.CharField(allow_blank=True, **optional)
    if spec.kind is Kind.CODE:
        return _codes(REQUIREMENT.related_model(spec.name), **optional)
    if spec.kind is Kind.CODES:
        return _codes(REQUIREMENT.related_model(spec.name), many=True, required=False)
    if spec.kind is Kind.NUMBER:
        low, high = REQUIREMENT.number_range(spec.name)
        # Described in the schema; the range itself is checked by the rules.
        return serializers.IntegerField(
            help_text=_("From %(low)s to %(high)s.") % {"low": low, "high": high},
            error_messages={"invalid": _("Enter a whole number.")},
            **optional,
        )
    if spec.kind is Kind.DATE:
        return serializers.DateField(**optional)
    if spec.kind is Kind.FLAG:
        return serializers.BooleanField(required=False)
    if spec.kind is Kind.DATETIME:
        return serializers.DateTimeField(**optional)
    raise ValueError(f"No API field for {spec.name} ({spec.kind})")


class RequirementWriteSerializer(serializers.Serializer):
    """A buyer's draft or open requirement; the same rules and messages as the browser form
    (``manufacturers.validation``), checked again by the services. For an update, the view
    passes the stored requirement as ``context["requirement"]``."""

    # Its fields are those of ``manufacturers.fields.REQUIREMENT`` that the buyer edits.
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            spec.name: _write_field(spec) for spec in REQUIREMENT if spec.form == REQUIREMENT_FORM
        }

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Every problem at once, as the form shows them: the rules on the fields that could
            # be read, beside the fields that could not.
            if not isinstance(exc.detail, dict) or not hasattr(data, "get"):
                raise
            readable = {}
            for name, field in self.fields.items():
                if name in exc.detail or name not in data:
                    continue
                try:
                    readable[name] = field.run_validation(data[name])
                except serializers.ValidationError:
                    continue
            errors = dict(exc.detail)
            for name, messages in self._rule_errors(readable, partial=True).items():
                errors.setdefault(name, messages)
            raise serializers.ValidationError(errors) from exc

    def _rule_errors(self, attrs: dict, *, partial: bool) -> dict[str, list[str]]:
        return requirement_errors(
            attrs,
            requirement=self.context.get("requirement"),
            manufacturer=self.context.get("manufacturer"),
            partial=partial,
        )

    def validate(self, attrs: dict) -> dict:
        errors = self._rule_errors(attrs, partial=self.partial)
        if errors:
            raise serializers.ValidationError(errors)
        # An empty optional text is stored as "" (the column is not nullable).
        return {
            name: ("" if value is None and REQUIREMENT[name].kind is Kind.TEXT else value)
            for name, value in attrs.items()
        }

    def service_data(self) -> dict:
        return dict(self.validated_data)


class RequirementCloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Requirement.CloseReason.choices)
