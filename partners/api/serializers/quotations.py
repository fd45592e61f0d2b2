"""Quotations and awards for the buyer firm that received them; aggregates for partners.

A quotation is sealed while its requirement's quotation deadline lies ahead: the buyer sees who
quoted, lead times and declared local content, but no price (``sealed`` is true, every price and
tier is null)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from introductions.models import Quotation, QuotationRevision, QuotationTier


def is_sealed(quotation: Quotation, now=None) -> bool:
    deadline = quotation.requirement.quote_deadline
    return deadline is not None and (now or timezone.now()) < deadline


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotationTier
        fields = ["min_quantity", "unit_price_idr"]
        read_only_fields = fields


class RevisionSerializer(serializers.ModelSerializer):
    """One submission of the offer; prices and tiers are null while the quotation is sealed."""

    unit_price_idr = serializers.SerializerMethodField()
    tiers = serializers.SerializerMethodField()

    class Meta:
        model = QuotationRevision
        fields = [
            "number",
            "submitted_at",
            "unit_price_idr",
            "tiers",
            "minimum_order",
            "lead_time_days",
            "valid_until",
            "local_content_pct",
            "notes",
        ]
        read_only_fields = fields

    def _sealed(self) -> bool:
        return bool(self.context.get("sealed"))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_unit_price_idr(self, revision: QuotationRevision) -> int | None:
        return None if self._sealed() else revision.unit_price_idr

    @extend_schema_field(TierSerializer(many=True, allow_null=True))
    def get_tiers(self, revision: QuotationRevision) -> list[dict] | None:
        if self._sealed():
            return None
        return TierSerializer(revision.tiers.all(), many=True).data


class QuotationSerializer(serializers.ModelSerializer):
    requirement = serializers.IntegerField(source="requirement_id")
    requirement_reference = serializers.CharField(source="requirement.reference")
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField(source="supplier.legal_name")
    introduction = serializers.IntegerField(source="introduction_id")
    sealed = serializers.SerializerMethodField(
        help_text=_("True until the requirement's quotation deadline: no prices are shown.")
    )
    sealed_until = serializers.DateTimeField(source="requirement.quote_deadline", allow_null=True)
    current = serializers.SerializerMethodField(help_text=_("The last revision: the offer."))
    revisions = serializers.SerializerMethodField(help_text=_("Every revision, newest first."))

    class Meta:
        model = Quotation
        fields = [
            "id",
            "requirement",
            "requirement_reference",
            "supplier",
            "supplier_name",
            "introduction",
            "status",
            "sealed",
            "sealed_until",
            "current",
            "revisions",
            "awarded_quantity",
            "awarded_value_idr",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _revisions(self, quotation: Quotation) -> list[dict]:
        # ``current`` and ``revisions`` share one rendering of the (prefetched) revisions.
        cached = getattr(quotation, "_api_revisions", None)
        if cached is None:
            context = {"sealed": is_sealed(quotation, self.context.get("now"))}
            cached = RevisionSerializer(quotation.revisions.all(), many=True, context=context).data
            quotation._api_revisions = cached
        return cached

    @extend_schema_field(serializers.BooleanField())
    def get_sealed(self, quotation: Quotation) -> bool:
        return is_sealed(quotation, self.context.get("now"))

    @extend_schema_field(RevisionSerializer(allow_null=True))
    def get_current(self, quotation: Quotation) -> dict | None:
        revisions = self._revisions(quotation)
        return revisions[0] if revisions else None

    @extend_schema_field(RevisionSerializer(many=True))
    def get_revisions(self, quotation: Quotation) -> list[dict]:
        return self._revisions(quotation)


class AwardSerializer(serializers.ModelSerializer):
    """An awarded quotation: what was awarded to whom, and where the partnership stands."""

    quotation = serializers.IntegerField(source="id")
    requirement = serializers.IntegerField(source="requirement_id")
    requirement_reference = serializers.CharField(source="requirement.reference")
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField(source="supplier.legal_name")
    quantity = serializers.IntegerField(source="awarded_quantity")
    value_idr = serializers.IntegerField(source="awarded_value_idr")
    awarded_at = serializers.DateTimeField(source="decided_at")
    partnership = serializers.SerializerMethodField()
    partnership_stage = serializers.SerializerMethodField()

    class Meta:
        model = Quotation
        fields = [
            "quotation",
            "requirement",
            "requirement_reference",
            "supplier",
            "supplier_name",
            "quantity",
            "value_idr",
            "awarded_at",
            "partnership",
            "partnership_stage",
        ]
        read_only_fields = fields

    @staticmethod
    def _partnership(quotation: Quotation):
        return getattr(quotation.introduction, "partnership", None)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_partnership(self, quotation: Quotation) -> int | None:
        partnership = self._partnership(quotation)
        return partnership.pk if partnership else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_partnership_stage(self, quotation: Quotation) -> str | None:
        partnership = self._partnership(quotation)
        return partnership.stage if partnership else None


class AggregateCellSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    province = serializers.CharField(help_text=_("The UMKM's province code"))
    component_system = serializers.CharField(help_text=_("Component system code, e.g. BAT"))
    quotations = serializers.IntegerField(allow_null=True)
    awards = serializers.IntegerField(allow_null=True)
    awarded_value_idr = serializers.IntegerField(allow_null=True)
    local_content_pct_weighted = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=False
    )


class QuotationAggregatesSerializer(serializers.Serializer):
    min_firms = serializers.IntegerField(
        help_text=_(
            "A figure is published only when at least this many UMKM and this many buyers are "
            "behind it; null otherwise."
        )
    )
    suppressed_cells = serializers.IntegerField()
    results = AggregateCellSerializer(many=True)
