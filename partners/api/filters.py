"""django-filter filter sets: codes from the reference data, never free SQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from introductions.models import Introduction, Partnership, Quotation
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import Supplier, VerificationStatus
from suppliers.selectors import filter_suppliers

# Real time zones lie between UTC-12 and UTC+14; PostgreSQL refuses offsets beyond about 16 h,
# which Python accepts (up to 24 h).
MAX_UTC_OFFSET = timedelta(hours=14)


def offset_in_range(value: datetime) -> bool:
    offset = value.utcoffset()
    return offset is None or abs(offset) <= MAX_UTC_OFFSET


class ZonedIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not offset_in_range(result):
            raise forms.ValidationError(
                _("Enter a time zone offset between -14:00 and +14:00."), code="invalid"
            )
        return result


class ZonedIsoDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time whose offset is a real time zone's."""

    field_class = ZonedIsoDateTimeField


def _component_q(relation: str, code: str) -> Q:
    # A system or subsystem code includes every category below it. (``code`` is the primary
    # key, so no join is made.)
    return Q(**{f"{relation}__code": code}) | Q(**{f"{relation}__code__startswith": f"{code}."})


class ApiFilterSet(filters.FilterSet):
    """A filter set whose form class is built once per language (django-filter builds one,
    with a form field per filter and its label, for every request)."""

    _form_classes: dict[tuple[type, str], type] = {}

    def get_form_class(self):
        key = (type(self), translation.get_language())
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = self._form_classes[key] = super().get_form_class()
        return form_class


class SupplierFilter(ApiFilterSet):
    province = filters.CharFilter(field_name="province_id", help_text=_("Province code, e.g. 32"))
    regency = filters.CharFilter(field_name="regency_id", help_text=_("Regency code"))
    size_class = filters.CharFilter(field_name="size_class_id", help_text=_("Size class code"))
    component = filters.CharFilter(
        method="filter_component",
        help_text=_("Component category code; a system code includes its subcategories."),
    )
    process = filters.CharFilter(method="filter_process", help_text=_("Process code"))
    material = filters.CharFilter(method="filter_material", help_text=_("Material code"))
    certification = filters.CharFilter(
        method="filter_certification",
        help_text=_("Holds a valid certificate of this type (or of one that implies it)."),
    )
    verified = filters.BooleanFilter(method="filter_verified")
    updated_since = ZonedIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    name = filters.CharFilter(field_name="legal_name", lookup_expr="icontains", max_length=100)
    q = filters.CharFilter(
        method="filter_q",
        max_length=100,
        help_text=_(
            "Words to find in the name or description; Indonesian words match their other "
            "forms (cetak finds pencetakan)."
        ),
    )

    class Meta:
        model = Supplier
        fields: list[str] = []

    # The same filters as the web directory (suppliers.selectors.filter_suppliers): subqueries,
    # no duplicate rows, no DISTINCT under the cursor ordering.
    def filter_component(self, queryset, name, value):
        return filter_suppliers(queryset, system=value)

    def filter_process(self, queryset, name, value):
        return filter_suppliers(queryset, process=value)

    def filter_material(self, queryset, name, value):
        return filter_suppliers(queryset, material=value)

    def filter_certification(self, queryset, name, value):
        return filter_suppliers(queryset, certification=value)

    def filter_q(self, queryset, name, value):
        return filter_suppliers(queryset, q=value)

    def filter_verified(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(verification_status=VerificationStatus.VERIFIED)
        return queryset.exclude(verification_status=VerificationStatus.VERIFIED)


class RequirementFilter(ApiFilterSet):
    component = filters.CharFilter(method="filter_component")
    process = filters.CharFilter(method="filter_process")
    delivery_province = filters.CharFilter(field_name="delivery_province_id")
    manufacturer = filters.NumberFilter(field_name="manufacturer_id")
    status = filters.ChoiceFilter(choices=Requirement.Status.choices)
    needed_before = filters.DateFilter(field_name="needed_by", lookup_expr="lte")

    class Meta:
        model = Requirement
        fields: list[str] = []

    def filter_component(self, queryset, name, value):
        return queryset.filter(_component_q("component", value))

    def filter_process(self, queryset, name, value):
        through = Requirement._meta.get_field("processes").remote_field.through
        return queryset.filter(
            id__in=through.objects.filter(process_id=value).values("requirement_id")
        )


class MatchFilter(ApiFilterSet):
    requirement = filters.NumberFilter(field_name="requirement_id")
    supplier = filters.NumberFilter(field_name="supplier_id")
    min_score = filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = Match
        fields: list[str] = []


class IntroductionFilter(ApiFilterSet):
    requirement = filters.NumberFilter(field_name="requirement_id")
    supplier = filters.NumberFilter(field_name="supplier_id")
    status = filters.ChoiceFilter(choices=Introduction.Status.choices)

    class Meta:
        model = Introduction
        fields: list[str] = []


class PartnershipFilter(ApiFilterSet):
    supplier = filters.NumberFilter(field_name="introduction__supplier_id")
    stage = filters.ChoiceFilter(choices=Partnership.Stage.choices)
    financing = filters.BooleanFilter()

    class Meta:
        model = Partnership
        fields: list[str] = []


class QuotationFilter(ApiFilterSet):
    requirement = filters.NumberFilter(field_name="requirement_id")
    status = filters.ChoiceFilter(choices=Quotation.Status.choices)

    class Meta:
        model = Quotation
        fields: list[str] = []


class AwardFilter(ApiFilterSet):
    requirement = filters.NumberFilter(field_name="requirement_id")
    partnership_stage = filters.ChoiceFilter(
        field_name="introduction__partnership__stage", choices=Partnership.Stage.choices
    )

    class Meta:
        model = Quotation
        fields: list[str] = []


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request filters on nothing: building a filter set (its
    form and fields) costs more than the rest of a plain page request."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
