"""Reference data (codes the other resources use); readable with any key or session."""

from __future__ import annotations

import django_filters as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from suppliers.models import (
    CertificationType,
    ComponentCategory,
    Kbli,
    Material,
    PartnershipPattern,
    Process,
    Province,
    Regency,
    SizeClass,
)

from ..etag import etag_response
from ..filters import FilterBackend
from ..serializers import reference as s
from .base import ApiViewMixin


class _ReferenceViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    key_scopes = {"list": None, "retrieve": None}
    ordering = "code"
    lookup_value_regex = r"[^/]+"  # codes contain dots (BAT.MOD.HOLDER)

    def get_queryset(self):
        return self.queryset.order_by("code")

    def retrieve(self, request, *args, **kwargs):
        return etag_response(request, self.get_serializer(self.get_object()).data)


class RegencyFilter(filters.FilterSet):
    province = filters.CharFilter(field_name="province_id")

    class Meta:
        model = Regency
        fields: list[str] = []


class ComponentFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent_id")
    level = filters.NumberFilter()

    class Meta:
        model = ComponentCategory
        fields: list[str] = []


def _reference(name: str, model, serializer, **attrs):
    attrs = {"queryset": model.objects.all(), "serializer_class": serializer, **attrs}
    view = type(f"{model.__name__}ViewSet", (_ReferenceViewSet,), attrs)
    return extend_schema_view(
        list=extend_schema(summary=f"List {name}", tags=["reference"]),
        retrieve=extend_schema(summary=f"One of {name}", tags=["reference"]),
    )(view)


ProvinceViewSet = _reference("provinces", Province, s.ProvinceSerializer)
RegencyViewSet = _reference(
    "regencies and cities",
    Regency,
    s.RegencySerializer,
    filter_backends=[FilterBackend],
    filterset_class=RegencyFilter,
)
KbliViewSet = _reference("KBLI codes", Kbli, s.KbliSerializer)
SizeClassViewSet = _reference("size classes", SizeClass, s.SizeClassSerializer)
ComponentViewSet = _reference(
    "component categories",
    ComponentCategory,
    s.ComponentCategorySerializer,
    filter_backends=[FilterBackend],
    filterset_class=ComponentFilter,
)
ProcessViewSet = _reference("processes", Process, s.ProcessSerializer)
MaterialViewSet = _reference("materials", Material, s.MaterialSerializer)
CertificationViewSet = _reference(
    "certification types", CertificationType, s.CertificationTypeSerializer
)
PatternViewSet = _reference(
    "partnership patterns", PartnershipPattern, s.PartnershipPatternSerializer
)
