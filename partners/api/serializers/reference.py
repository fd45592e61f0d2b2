from __future__ import annotations

from rest_framework import serializers

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

BILINGUAL = ["code", "name", "name_id", "name_en"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "island_group", "capital", "lat", "lon"]


class RegencySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")

    class Meta:
        model = Regency
        fields = ["code", "name", "province"]


class KbliSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kbli
        fields = ["code", "title", "title_id", "title_en"]


class SizeClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = SizeClass
        fields = [*BILINGUAL, "rank", "capital_max_idr", "annual_sales_max_idr"]


class ComponentCategorySerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = ComponentCategory
        fields = [*BILINGUAL, "parent", "level"]


class ProcessSerializer(serializers.ModelSerializer):
    class Meta:
        model = Process
        fields = BILINGUAL


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = BILINGUAL


class CertificationTypeSerializer(serializers.ModelSerializer):
    implies = serializers.CharField(source="implies_id", allow_null=True)

    class Meta:
        model = CertificationType
        fields = ["code", "name", "kind", "note", "implies"]


class PartnershipPatternSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipPattern
        fields = BILINGUAL
