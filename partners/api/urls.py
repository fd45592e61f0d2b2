from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import schema  # noqa: F401  (the API-key security scheme)
from .views import matchmaking, quotations, reference, requirements, stats, suppliers
from .views.base import api_not_found
from .views.schema import ApiDocsView, ApiSchemaView

app_name = "api"

router = SimpleRouter()
router.register("suppliers", suppliers.SupplierViewSet, basename="supplier")
router.register("requirements", requirements.RequirementViewSet, basename="requirement")
router.register("matches", matchmaking.MatchViewSet, basename="match")
router.register("introductions", matchmaking.IntroductionViewSet, basename="introduction")
router.register("partnerships", matchmaking.PartnershipViewSet, basename="partnership")
router.register("quotations", quotations.QuotationViewSet, basename="quotation")
router.register("awards", quotations.AwardViewSet, basename="award")
router.register("reference/provinces", reference.ProvinceViewSet, basename="province")
router.register("reference/regencies", reference.RegencyViewSet, basename="regency")
router.register("reference/kbli", reference.KbliViewSet, basename="kbli")
router.register("reference/size-classes", reference.SizeClassViewSet, basename="size-class")
router.register("reference/components", reference.ComponentViewSet, basename="component")
router.register("reference/processes", reference.ProcessViewSet, basename="process")
router.register("reference/materials", reference.MaterialViewSet, basename="material")
router.register(
    "reference/certifications", reference.CertificationViewSet, basename="certification"
)
router.register(
    "reference/partnership-patterns", reference.PatternViewSet, basename="partnership-pattern"
)

urlpatterns = [
    path("", include(router.urls)),
    path("stats/", stats.StatsView.as_view(), name="stats"),
    path(
        "stats/quotations/",
        quotations.QuotationAggregatesView.as_view(),
        name="stats-quotations",
    ),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*/$", api_not_found),  # without the slash, APPEND_SLASH redirects first
]
