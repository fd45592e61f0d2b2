from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from partners.models import ApiScope
from partners.privacy import consented_suppliers_read
from partners.services import partner_may_update, supplier_api_create, supplier_api_update
from suppliers.models import Supplier
from suppliers.privacy import private_contacts_read
from suppliers.selectors import can_edit

from ..authentication import partner_of, site_user_of
from ..etag import etag_response
from ..filters import FilterBackend, SupplierFilter
from ..selectors import supplier_representations, supplier_values, visible_supplier_values
from ..serializers.suppliers import SupplierSerializer, SupplierWriteSerializer
from .base import ApiViewMixin

NOT_MODIFIED = OpenApiResponse(description="Not modified (If-None-Match)")


@extend_schema_view(
    list=extend_schema(summary="List suppliers (public profile fields)"),
    retrieve=extend_schema(
        summary="One supplier", responses={200: SupplierSerializer, 304: NOT_MODIFIED}
    ),
    create=extend_schema(
        summary="Register a member company (associations, suppliers:write)",
        request=SupplierWriteSerializer,
        responses={201: SupplierSerializer},
    ),
    partial_update=extend_schema(
        summary="Update a company you manage (CSV import rules)",
        request=SupplierWriteSerializer,
        responses={200: SupplierSerializer},
    ),
)
class SupplierViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Private fields (NIB, address, contact) are null unless the UMKM consented for your
    organisation; ``contact_visible`` says which."""

    serializer_class = SupplierSerializer
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = SupplierFilter
    ordering_fields = ["id", "updated_at"]
    ordering = "id"
    lookup_value_regex = r"[^/]+"  # anything: the view answers 404 in the API's format
    http_method_names = ["get", "post", "patch", "head", "options"]
    key_scopes = {
        "list": ApiScope.SUPPLIERS_READ,
        "retrieve": ApiScope.SUPPLIERS_READ,
        "create": ApiScope.SUPPLIERS_WRITE,
        "partial_update": ApiScope.SUPPLIERS_WRITE,
    }

    def session_allowed(self, request, action) -> bool:
        # Logged-in users read, and members update their own company (checked per object);
        # companies register in the browser, where the owner account is created with them.
        return action in ("list", "retrieve", "partial_update")

    def get_queryset(self):
        request = self.request
        return visible_supplier_values(partner=partner_of(request), user=site_user_of(request))

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return SupplierWriteSerializer
        return SupplierSerializer

    def _represent(self, rows):
        request = self.request
        user = site_user_of(request)
        representations = supplier_representations(rows, partner=partner_of(request), user=user)
        if user is not None:
            # UU PDP: ministry staff reading UMKM contacts leaves a trace (members are skipped).
            private_contacts_read(
                user=user, supplier_ids=[r["id"] for r in representations if r["contact_visible"]]
            )
        elif partner_of(request) is not None:
            # A partner's key reading what UMKM consented to show it: key, firm, fields.
            consented_suppliers_read(representations)
        return representations

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._represent(page))

    def _detail(self, pk, *, visible_only: bool = False):
        # After a write the caller sees what it wrote; a read shows only what it may list.
        rows = self.get_queryset() if visible_only else supplier_values()
        rows = list(rows.filter(pk=pk).order_by())
        if not rows:
            raise exceptions.NotFound()
        return self._represent(rows)[0]

    def retrieve(self, request, pk=None, *args, **kwargs):
        return etag_response(request, self._detail(_int(pk), visible_only=True))

    def create(self, request, *args, **kwargs):
        serializer = SupplierWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier = supplier_api_create(partner=partner_of(request), values=serializer.to_values())
        return Response(self._detail(supplier.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None, *args, **kwargs):
        supplier = get_object_or_404(Supplier, pk=_int(pk))
        partner = partner_of(request)
        if partner is not None:
            if not partner_may_update(partner, supplier):
                raise exceptions.PermissionDenied(
                    _("Your organisation may only update the companies it manages."),
                    code="not_managed",
                )
        elif not can_edit(request.user, supplier):
            raise exceptions.PermissionDenied(
                _("You can only change your own company."), code="not_member"
            )
        serializer = SupplierWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        supplier_api_update(supplier=supplier, values=serializer.to_values())
        return Response(self._detail(supplier.pk))


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise exceptions.NotFound() from None
