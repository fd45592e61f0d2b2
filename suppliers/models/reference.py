"""Public reference data (../shared/reference), loaded by data migrations.

Codes are primary keys: imports, the API and stored profiles refer to them, so they never change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Province(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    island_group = models.CharField(_("island group"), max_length=50)
    capital = models.CharField(_("capital"), max_length=100)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self) -> str:
        return self.name


class Kbli(models.Model):
    code = models.CharField(_("KBLI code"), max_length=5, primary_key=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("KBLI code")
        verbose_name_plural = _("KBLI codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "id").startswith("en") else self.title_id


class SizeClass(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=16, primary_key=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    capital_max_idr = models.BigIntegerField(_("maximum capital (IDR)"), null=True, blank=True)
    annual_sales_max_idr = models.BigIntegerField(
        _("maximum annual sales (IDR)"), null=True, blank=True
    )

    class Meta:
        ordering = ["rank"]
        verbose_name = _("size class")
        verbose_name_plural = _("size classes")


class ComponentCategory(BilingualNameMixin):
    """Three levels: system (BAT), subsystem (BAT.MOD), part family (BAT.MOD.HOLDER)."""

    code = models.CharField(_("code"), max_length=32, primary_key=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("component category")
        verbose_name_plural = _("component categories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1) & models.Q(level__lte=3),
                name="component_level_1_to_3",
            )
        ]

    @property
    def system_code(self) -> str:
        return self.code.split(".")[0]


class Process(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=32, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")


class Material(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=32, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")


class CertificationType(models.Model):
    code = models.CharField(_("code"), max_length=32, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32)
    note = models.CharField(_("note"), max_length=300, blank=True)
    implies = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implied_by",
        verbose_name=_("implies"),
        help_text=_("Holding this certification also counts as holding that one."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("certification type")
        verbose_name_plural = _("certification types")

    def __str__(self) -> str:
        return self.name


class PartnershipPattern(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=32, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("partnership pattern")
        verbose_name_plural = _("partnership patterns")
