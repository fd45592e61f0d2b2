"""Aggregate statistics (no company is identifiable): ``stats:read`` keys, ministry staff."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from introductions.models import Introduction, Partnership
from manufacturers.models import Requirement
from matchmaking.models import Match
from partners.models import ApiScope
from suppliers.models import Supplier, VerificationStatus

from .base import ApiViewMixin

_counts = serializers.DictField(child=serializers.IntegerField())

StatsSerializer = inline_serializer(
    "Stats",
    {
        "suppliers": inline_serializer(
            "SupplierStats",
            {
                "total": serializers.IntegerField(),
                "verified": serializers.IntegerField(),
                "by_province": _counts,
                "by_size_class": _counts,
            },
        ),
        "requirements": inline_serializer(
            "RequirementStats",
            {"open": serializers.IntegerField(), "by_status": _counts},
        ),
        "matches": serializers.IntegerField(),
        "introductions_by_status": _counts,
        "partnerships": inline_serializer(
            "PartnershipStats",
            {
                "by_stage": _counts,
                "contract_value_idr": serializers.IntegerField(),
                "with_technology_transfer": serializers.IntegerField(),
                "with_financing": serializers.IntegerField(),
            },
        ),
    },
)


def _grouped(queryset, field: str) -> dict[str, int]:
    rows = queryset.values_list(field).annotate(n=Count("pk")).order_by(field)
    return {str(key) if key is not None else "none": n for key, n in rows}


def platform_stats() -> dict:
    suppliers = Supplier.objects.all()
    partnerships = Partnership.objects.aggregate(
        value=Sum("contract_value_idr"),
        transfer=Count("pk", filter=Q(technology_transfer=True)),
        financing=Count("pk", filter=Q(financing=True)),
    )
    return {
        "suppliers": {
            "total": suppliers.count(),
            "verified": suppliers.filter(verification_status=VerificationStatus.VERIFIED).count(),
            "by_province": _grouped(suppliers, "province_id"),
            "by_size_class": _grouped(suppliers, "size_class_id"),
        },
        "requirements": {
            "open": Requirement.objects.open().count(),
            "by_status": _grouped(Requirement.objects.all(), "status"),
        },
        "matches": Match.objects.count(),
        "introductions_by_status": _grouped(Introduction.objects.all(), "status"),
        "partnerships": {
            "by_stage": _grouped(Partnership.objects.all(), "stage"),
            "contract_value_idr": partnerships["value"] or 0,
            "with_technology_transfer": partnerships["transfer"],
            "with_financing": partnerships["financing"],
        },
    }


class StatsView(ApiViewMixin, APIView):
    key_scopes = {"get": ApiScope.STATS_READ}

    def session_allowed(self, request, action) -> bool:
        return request.user.is_ministry

    @extend_schema(summary="Aggregate statistics", responses={200: StatsSerializer})
    def get(self, request):
        return Response(platform_stats())
