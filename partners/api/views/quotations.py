"""Quotations and awards: a buyer firm's own, through its own key (``quotations:read``,
``awards:read``) or a member's session; partners and ministry staff get aggregates only.

Another firm's quotation answers 404, like anything not visible to the caller. Every quotation
sent to a buyer key is recorded in the audit trail (key, UMKM, fields), as partners' reads of
consented data are.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from manufacturers.selectors import membership_of
from partners.models import ApiScope, BuyerApiScope
from partners.privacy import consented_objects_read

from ..authentication import api_key_of, buyer_key_firm_id, site_user_of
from ..etag import etag_response
from ..filters import AwardFilter, FilterBackend, QuotationFilter
from ..procurement import MIN_FIRMS, awards_of_firm, quotation_aggregates, quotations_of_firm
from ..serializers.quotations import (
    AwardSerializer,
    QuotationAggregatesSerializer,
    QuotationSerializer,
)
from .base import ApiViewMixin

NOT_MODIFIED = OpenApiResponse(description="Not modified (If-None-Match)")


def _firm_id(request) -> int | None:
    """The buyer firm whose data the caller reads: its own key's, or its member's session."""
    if api_key_of(request) is not None:
        return buyer_key_firm_id(request)
    user = site_user_of(request)
    membership = membership_of(user) if user is not None else None
    return membership.manufacturer_id if membership is not None else None


class _FirmReadViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    filter_backends = [FilterBackend, OrderingFilter]
    ordering = "id"
    lookup_value_regex = r"[^/]+"  # anything: the view answers 404 in the API's format
    audit_fields: tuple[str, ...] = ()

    def session_allowed(self, request, action) -> bool:
        # Members of a buyer firm read their own; nobody else has quotations to read here.
        return action in ("list", "retrieve") and _firm_id(request) is not None

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None
        return get_object_or_404(self.filter_queryset(self.get_queryset()), pk=pk)

    def retrieve(self, request, *args, **kwargs):
        return etag_response(request, self.get_serializer(self.get_object()).data)

    def get_serializer_context(self):
        # One moment for the whole page, so that a quotation cannot unseal halfway through.
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if args and api_key_of(self.request) is not None:
            objects = list(args[0]) if kwargs.get("many") else [args[0]]
            consented_objects_read(
                object_kind="quotation",
                objects=[(quotation.pk, quotation.supplier_id) for quotation in objects],
                fields=self.audit_fields,
            )
        return serializer


@extend_schema_view(
    list=extend_schema(
        summary="List the quotations on your requirements",
        description=(
            "For a buyer firm's own key (`quotations:read`) or a member's session. Sealed "
            "quotations (before the requirement's quotation deadline) show no prices."
        ),
    ),
    retrieve=extend_schema(
        summary="One quotation on your requirements",
        responses={200: QuotationSerializer, 304: NOT_MODIFIED},
    ),
)
class QuotationViewSet(_FirmReadViewSet):
    serializer_class = QuotationSerializer
    filterset_class = QuotationFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    key_scopes = {"list": BuyerApiScope.QUOTATIONS_READ, "retrieve": BuyerApiScope.QUOTATIONS_READ}
    audit_fields = ("status", "current", "revisions")

    def get_queryset(self):
        return quotations_of_firm(_firm_id(self.request))


@extend_schema_view(
    list=extend_schema(
        summary="List your awards",
        description="For a buyer firm's own key (`awards:read`) or a member's session.",
    ),
    retrieve=extend_schema(
        summary="One of your awards (by quotation id)",
        responses={200: AwardSerializer, 304: NOT_MODIFIED},
    ),
)
class AwardViewSet(_FirmReadViewSet):
    serializer_class = AwardSerializer
    filterset_class = AwardFilter
    ordering_fields = ["id", "decided_at"]
    key_scopes = {"list": BuyerApiScope.AWARDS_READ, "retrieve": BuyerApiScope.AWARDS_READ}
    audit_fields = ("quantity", "value_idr", "partnership_stage")

    def get_queryset(self):
        return awards_of_firm(_firm_id(self.request))


class QuotationAggregatesView(ApiViewMixin, APIView):
    """Partners (``stats:read``) and ministry staff: no per-firm quotation data, only cells."""

    key_scopes = {"get": ApiScope.STATS_READ}

    def session_allowed(self, request, action) -> bool:
        return request.user.is_ministry

    @extend_schema(
        summary="Quotations and awards per month, province and component system",
        description=(
            "Aggregates only. Quotations count in the month of their first submission, awards "
            "in the month they were decided; `local_content_pct_weighted` is the TKDN declared "
            "in the awarded offers, weighted by awarded value. A figure is published only when "
            f"at least {MIN_FIRMS} different UMKM and {MIN_FIRMS} different buyers are behind "
            "it (`min_firms`); cells with no published figure are left out and no totals are "
            "given, so that no firm can be singled out."
        ),
        responses={200: QuotationAggregatesSerializer},
    )
    def get(self, request):
        cells, suppressed = quotation_aggregates()
        return Response(
            QuotationAggregatesSerializer(
                {"min_firms": MIN_FIRMS, "suppressed_cells": suppressed, "results": cells}
            ).data
        )
