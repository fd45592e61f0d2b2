from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from manufacturers import services
from manufacturers.models import Requirement, listed_q
from manufacturers.selectors import membership_of
from partners.models import ApiScope

from ..authentication import partner_of, site_user_of
from ..etag import etag_response
from ..filters import FilterBackend, RequirementFilter
from ..serializers.requirements import (
    RequirementCloseSerializer,
    RequirementSerializer,
    RequirementWriteSerializer,
)
from .base import ApiViewMixin

WRITE_ACTIONS = ("create", "partial_update", "destroy", "publish", "close")


class _Everything:
    def __contains__(self, item) -> bool:
        return True


def _is_admin(user) -> bool:
    return bool(user.is_superuser or user.role == "admin")


@extend_schema_view(
    list=extend_schema(summary="List requirements (open ones; a buyer also sees its own)"),
    retrieve=extend_schema(
        summary="One requirement",
        responses={200: RequirementSerializer, 304: OpenApiResponse(description="Not modified")},
    ),
    create=extend_schema(
        summary="Create a draft (buyers, session)",
        request=RequirementWriteSerializer,
        responses={201: RequirementSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a draft or open requirement (buyers, session)",
        request=RequirementWriteSerializer,
        responses={200: RequirementSerializer},
    ),
    destroy=extend_schema(summary="Delete a draft (buyers, session)"),
)
class RequirementViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = RequirementSerializer
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = RequirementFilter
    ordering_fields = ["id", "needed_by", "published_at"]
    ordering = "id"
    lookup_value_regex = r"[^/]+"  # anything: the view answers 404 in the API's format
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    key_scopes = {"list": ApiScope.REQUIREMENTS_READ, "retrieve": ApiScope.REQUIREMENTS_READ}

    def session_allowed(self, request, action) -> bool:
        if action in WRITE_ACTIONS:
            return membership_of(request.user) is not None or _is_admin(request.user)
        return True

    def get_queryset(self):
        queryset = Requirement.objects.select_related("manufacturer").prefetch_related(
            "processes", "materials", "required_certifications", "preferred_certifications"
        )
        if partner_of(self.request) is not None:
            return queryset.listed()
        user = site_user_of(self.request)
        if user is None:
            return queryset.none()
        if _is_admin(user):
            return queryset
        # Buyers see their own (any status), not their competitors' open requirements; the
        # UMKM side and the ministry browse the listed ones (open, of a verified buyer), as in
        # the browser.
        condition = Q(pk__in=[])
        if user.is_umkm or user.is_ministry:
            condition |= listed_q()
        membership = membership_of(user)
        if membership is not None:
            condition |= Q(manufacturer_id=membership.manufacturer_id)
        return queryset.filter(condition)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = site_user_of(self.request)
        if user is not None and _is_admin(user):
            context["own_manufacturer_ids"] = _Everything()
        else:
            membership = membership_of(user) if user is not None else None
            context["own_manufacturer_ids"] = {membership.manufacturer_id} if membership else set()
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _get(self, pk) -> Requirement:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None
        return get_object_or_404(self.get_queryset(), pk=pk)

    def retrieve(self, request, pk=None, *args, **kwargs):
        return etag_response(request, self.get_serializer(self._get(pk)).data)

    def _own(self, pk) -> Requirement:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None
        return get_object_or_404(Requirement.objects.for_user(self.request.user), pk=pk)

    def _fresh(self, pk) -> Response:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def create(self, request, *args, **kwargs):
        membership = membership_of(request.user)
        if membership is None:
            raise exceptions.PermissionDenied(
                _("Join a buyer company to post requirements."), code="not_buyer"
            )
        serializer = RequirementWriteSerializer(
            data=request.data, context={"manufacturer": membership.manufacturer}
        )
        serializer.is_valid(raise_exception=True)
        requirement = services.requirement_create(
            manufacturer=membership.manufacturer,
            created_by=request.user,
            data=serializer.service_data(),
        )
        return Response(self._fresh(requirement.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None, *args, **kwargs):
        requirement = self._own(pk)
        serializer = RequirementWriteSerializer(
            data=request.data, partial=True, context={"requirement": requirement}
        )
        serializer.is_valid(raise_exception=True)
        services.requirement_update(
            requirement=requirement, changed_by=request.user, data=serializer.service_data()
        )
        return Response(self._fresh(requirement.pk))

    def destroy(self, request, pk=None, *args, **kwargs):
        services.requirement_delete_draft(requirement=self._own(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Publish a draft (verified buyers)", request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        requirement = self._own(pk)
        services.requirement_publish(requirement=requirement, by=request.user)
        return Response(self._fresh(requirement.pk))

    @extend_schema(summary="Close an open requirement", request=RequirementCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        requirement = self._own(pk)
        serializer = RequirementCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.requirement_close(
            requirement=requirement, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self._fresh(requirement.pk))
