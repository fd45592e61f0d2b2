"""The project's URLs plus the baseline of ``bench/api.py``: a plain DRF ModelViewSet with
cursor pagination over the same suppliers (same public fields, same key authentication),
ModelSerializer with the usual prefetches: what one writes without tuning."""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from config.urls import urlpatterns as project_urlpatterns
from partners.api.authentication import ApiKeyAuthentication
from suppliers.models import Supplier


class PlainSupplierSerializer(serializers.ModelSerializer):
    kbli = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    components = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    processes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    materials = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Supplier
        fields = [
            "id",
            "legal_name",
            "size_class",
            "province",
            "regency",
            "founded_year",
            "employees",
            "description",
            "website",
            "kbli",
            "components",
            "processes",
            "materials",
            "capacity_per_month",
            "lead_time_days",
            "min_order_qty",
            "verification_status",
            "verified_at",
            "created_at",
            "updated_at",
        ]


class PlainCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    ordering = "id"


class PlainSupplierViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Supplier.objects.prefetch_related("kbli", "components", "processes", "materials")
    serializer_class = PlainSupplierSerializer
    pagination_class = PlainCursorPagination
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsAuthenticated]


router = SimpleRouter()
router.register("suppliers", PlainSupplierViewSet, basename="plain-supplier")

urlpatterns = [path("bench/plain/", include(router.urls)), *project_urlpatterns]
