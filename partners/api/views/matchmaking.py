"""Matches, introductions and partnerships.

- matches: the buyer sees its requirements' matches (with its shortlist decisions), an UMKM its
  own matches on open requirements, ministry staff and administrators all; a partner with
  ``matches:read`` the matches of open requirements (no decisions);
- introductions and partnerships: their two parties (session), or a partner with
  ``partnerships:read`` for the UMKM that consented to that partner (checked on every request).
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.filters import OrderingFilter

from introductions.models import Introduction, Partnership
from introductions.selectors import introductions_for_user, partnerships_for_user
from manufacturers.models import listed_q
from manufacturers.selectors import membership_of
from matchmaking.models import Match, MatchDecision
from partners.models import ApiScope, PartnerConsent
from partners.privacy import consented_objects_read

from ..authentication import partner_of, site_user_of
from ..etag import etag_response
from ..filters import FilterBackend, IntroductionFilter, MatchFilter, PartnershipFilter
from ..serializers.matchmaking import (
    IntroductionSerializer,
    MatchSerializer,
    PartnershipSerializer,
)
from .base import ApiViewMixin

NOT_MODIFIED = OpenApiResponse(description="Not modified (If-None-Match)")


class _ConsentedReadMixin:
    """For a partner's key, records every introduction or partnership sent to it (those of
    UMKM that consented): key, firm, and the fields a partner gets (``party_only`` are null)."""

    audit_kind: str
    party_only: frozenset[str]

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if args and partner_of(self.request) is not None:
            objects = list(args[0]) if kwargs.get("many") else [args[0]]
            meta = self.get_serializer_class().Meta
            fields = [name for name in meta.fields if name not in self.party_only]
            consented_objects_read(
                object_kind=self.audit_kind,
                objects=[(obj.pk, self.supplier_id_of(obj)) for obj in objects],
                fields=fields,
            )
        return serializer


class _ReadViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    filter_backends = [FilterBackend, OrderingFilter]
    ordering = "id"
    lookup_value_regex = r"[^/]+"  # anything: the view answers 404 in the API's format

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None
        return get_object_or_404(self.filter_queryset(self.get_queryset()), pk=pk)

    def retrieve(self, request, *args, **kwargs):
        return etag_response(request, self.get_serializer(self.get_object()).data)


def _with_decision(queryset):
    decision = MatchDecision.objects.filter(
        requirement_id=OuterRef("requirement_id"), supplier_id=OuterRef("supplier_id")
    ).values("status")[:1]
    return queryset.annotate(decision=Subquery(decision))


def _consented(request):
    partner = partner_of(request)
    return PartnerConsent.objects.filter(
        partner=partner, scope=PartnerConsent.Scope.PARTNERSHIPS, revoked_at__isnull=True
    ).values("supplier_id")


@extend_schema_view(
    list=extend_schema(summary="List matches"),
    retrieve=extend_schema(
        summary="One match", responses={200: MatchSerializer, 304: NOT_MODIFIED}
    ),
)
class MatchViewSet(_ReadViewSet):
    serializer_class = MatchSerializer
    filterset_class = MatchFilter
    ordering_fields = ["id", "score", "rank", "computed_at"]
    key_scopes = {"list": ApiScope.MATCHES_READ, "retrieve": ApiScope.MATCHES_READ}

    def get_queryset(self):
        queryset = Match.objects.select_related("requirement").defer("facts")
        if partner_of(self.request) is not None:
            return queryset.filter(listed_q("requirement__"))
        user = site_user_of(self.request)
        if user is None:
            return queryset.none()
        if user.is_ministry:
            return _with_decision(queryset)
        condition = Q(pk__in=[])
        membership = membership_of(user)
        if membership is not None:
            condition |= Q(requirement__manufacturer_id=membership.manufacturer_id)
        supplier_membership = getattr(user, "supplier_membership", None)
        if supplier_membership is not None:
            condition |= Q(listed_q("requirement__"), supplier_id=supplier_membership.supplier_id)
        return _with_decision(queryset.filter(condition))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = site_user_of(self.request)
        membership = membership_of(user) if user is not None else None
        context["own_manufacturer_ids"] = {membership.manufacturer_id} if membership else set()
        return context


@extend_schema_view(
    list=extend_schema(summary="List introductions"),
    retrieve=extend_schema(
        summary="One introduction", responses={200: IntroductionSerializer, 304: NOT_MODIFIED}
    ),
)
class IntroductionViewSet(_ConsentedReadMixin, _ReadViewSet):
    serializer_class = IntroductionSerializer
    filterset_class = IntroductionFilter
    ordering_fields = ["id", "requested_at"]
    key_scopes = {"list": ApiScope.PARTNERSHIPS_READ, "retrieve": ApiScope.PARTNERSHIPS_READ}
    audit_kind = "introduction"
    party_only = frozenset({"message", "decline_reason"})

    @staticmethod
    def supplier_id_of(introduction: Introduction) -> int:
        return introduction.supplier_id

    def get_queryset(self):
        if partner_of(self.request) is not None:
            return Introduction.objects.select_related("requirement").filter(
                supplier_id__in=_consented(self.request)
            )
        user = site_user_of(self.request)
        return introductions_for_user(user) if user else Introduction.objects.none()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "is_party": partner_of(self.request) is None}


@extend_schema_view(
    list=extend_schema(summary="List partnerships"),
    retrieve=extend_schema(
        summary="One partnership", responses={200: PartnershipSerializer, 304: NOT_MODIFIED}
    ),
)
class PartnershipViewSet(_ConsentedReadMixin, _ReadViewSet):
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    ordering_fields = ["id", "updated_at"]
    key_scopes = {"list": ApiScope.PARTNERSHIPS_READ, "retrieve": ApiScope.PARTNERSHIPS_READ}
    audit_kind = "partnership"
    party_only = frozenset({"notes", "ended_reason"})

    @staticmethod
    def supplier_id_of(partnership: Partnership) -> int:
        return partnership.introduction.supplier_id

    def get_queryset(self):
        queryset = Partnership.objects.select_related(
            "introduction", "introduction__requirement", "introduction__requirement__manufacturer"
        )
        if partner_of(self.request) is not None:
            return queryset.filter(introduction__supplier_id__in=_consented(self.request))
        user = site_user_of(self.request)
        if user is None:
            return queryset.none()
        return queryset.filter(pk__in=partnerships_for_user(user).values("pk"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "is_party": partner_of(self.request) is None}
