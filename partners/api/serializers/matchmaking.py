from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from introductions.models import Introduction, Partnership
from matchmaking.models import Match, MatchDecision


class MatchSerializer(serializers.ModelSerializer):
    requirement = serializers.IntegerField(source="requirement_id")
    supplier = serializers.IntegerField(source="supplier_id")
    decision = serializers.SerializerMethodField(
        help_text=_("The buyer's shortlist decision: only for the requirement's buyer.")
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "requirement",
            "supplier",
            "score",
            "rank",
            "components",
            "engine_version",
            "computed_at",
            "decision",
        ]
        read_only_fields = fields

    def get_decision(self, match: Match) -> str | None:
        if match.requirement.manufacturer_id not in self.context.get("own_manufacturer_ids", ()):
            return None
        value = getattr(match, "decision", None)
        return value if value in MatchDecision.Status.values else None


class IntroductionSerializer(serializers.ModelSerializer):
    """``message`` and ``decline_reason`` are for the two parties only (null for partners)."""

    requirement = serializers.IntegerField(source="requirement_id")
    supplier = serializers.IntegerField(source="supplier_id")
    manufacturer = serializers.IntegerField(source="requirement.manufacturer_id")
    message = serializers.SerializerMethodField()
    decline_reason = serializers.SerializerMethodField()

    class Meta:
        model = Introduction
        fields = [
            "id",
            "requirement",
            "supplier",
            "manufacturer",
            "direction",
            "status",
            "score",
            "requested_at",
            "expires_at",
            "decided_at",
            "message",
            "decline_reason",
        ]
        read_only_fields = fields

    def _party(self) -> bool:
        return bool(self.context.get("is_party"))

    def get_message(self, introduction: Introduction) -> str | None:
        return introduction.message if self._party() else None

    def get_decline_reason(self, introduction: Introduction) -> str | None:
        return introduction.decline_reason if self._party() else None


class PartnershipSerializer(serializers.ModelSerializer):
    """``notes`` and ``ended_reason`` are for the two parties only (null for partners)."""

    introduction = serializers.IntegerField(source="introduction_id")
    requirement = serializers.IntegerField(source="introduction.requirement_id")
    supplier = serializers.IntegerField(source="introduction.supplier_id")
    manufacturer = serializers.IntegerField(source="introduction.requirement.manufacturer_id")
    manufacturer_name = serializers.CharField(source="introduction.requirement.manufacturer.name")
    pattern = serializers.CharField(source="pattern_id", allow_null=True)
    notes = serializers.SerializerMethodField()
    ended_reason = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "introduction",
            "requirement",
            "supplier",
            "manufacturer",
            "manufacturer_name",
            "pattern",
            "stage",
            "contract_value_idr",
            "start_date",
            "technology_transfer",
            "financing",
            "created_at",
            "updated_at",
            "notes",
            "ended_reason",
        ]
        read_only_fields = fields

    def _party(self) -> bool:
        return bool(self.context.get("is_party"))

    def get_notes(self, partnership: Partnership) -> str | None:
        return partnership.notes if self._party() else None

    def get_ended_reason(self, partnership: Partnership) -> str | None:
        return partnership.ended_reason if self._party() else None
