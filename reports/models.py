"""The dashboard's pre-aggregated facts. (The audit trail of the ministry's verification
decisions moved to ``suppliers.models.VerificationDecision``, keeping its table, so that every
door that decides a verification records it through one service.)"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from suppliers.models import VerificationDecision  # noqa: F401 (its former home)

# --- the dashboard's pre-aggregated facts -----------------------------------------------------
#
# Rebuilt as a whole by ``reports.services.dashboard_facts_refresh`` (the worker, every few
# minutes): each row copies the dimensions the dashboard filters and groups by (the supplier's
# current province, island group and size class, the requirement's component system, the local
# day), so a page view reads narrow tables without joins. Plain ids, no foreign keys: the facts
# are a disposable copy, never the source of truth.


class DashboardRefresh(models.Model):
    """When the facts were last rebuilt (a single row): the dashboard's "figures as of"."""

    refreshed_at = models.DateTimeField(_("refreshed at"))
    seconds = models.FloatField(_("duration (seconds)"))

    class Meta:
        verbose_name = _("dashboard refresh")
        verbose_name_plural = _("dashboard refreshes")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"


class _Cube(models.Model):
    """Counts per day and per month (``day`` empty) and the dimensions: a period reads the whole
    months it covers from month rows and only its partial months from day rows."""

    month = models.DateField()  # its first day
    day = models.DateField(null=True)
    province = models.CharField(max_length=2, null=True)
    island = models.CharField(max_length=50, null=True)
    size_class = models.CharField(max_length=16, null=True)
    n = models.PositiveIntegerField()

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["day"], name="%(class)s_day"),
            models.Index(
                fields=["month"], condition=models.Q(day__isnull=True), name="%(class)s_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day or self.month:%Y-%m-%d}: {self.n}"


class SupplierStat(_Cube):
    """UMKM registered (``kind``, on the day of registration) and verified (on the day of
    verification), per set of component systems (a supplier may have several)."""

    kind = models.CharField(max_length=16)
    systems = ArrayField(models.CharField(max_length=32), default=list)

    class Meta(_Cube.Meta):
        pass


class MatchStat(_Cube):
    """Match rows per day of ``computed_at`` and the first segment of the requirement's
    component code (``system``)."""

    system = models.CharField(max_length=32, null=True)

    class Meta(_Cube.Meta):
        pass


class IntroductionStat(_Cube):
    """Introductions per day requested, status, and what became of them."""

    system = models.CharField(max_length=32, null=True)
    status = models.CharField(max_length=16)
    partnered = models.BooleanField()
    contracted = models.BooleanField()

    class Meta(_Cube.Meta):
        pass


class PartnershipStat(_Cube):
    """Partnerships per day created, stage and pattern, with their contract value."""

    system = models.CharField(max_length=32, null=True)
    stage = models.CharField(max_length=16)
    pattern = models.CharField(max_length=32, null=True)
    contract_value_idr = models.BigIntegerField(null=True)

    class Meta(_Cube.Meta):
        pass


class AwardStat(_Cube):
    """Partnerships awarded (from a quotation) per day of the award: their contract value and,
    over those that state a local content, value x TKDN % and their value (the value-weighted
    TKDN is the one divided by the other)."""

    system = models.CharField(max_length=32, null=True)
    awarded_value_idr = models.BigIntegerField(null=True)
    lc_weighted = models.DecimalField(max_digits=30, decimal_places=2, null=True)
    lc_valued = models.BigIntegerField(null=True)

    class Meta(_Cube.Meta):
        pass


class SupplierFact(models.Model):
    """One row per UMKM with a first introduction, for the exact median of the time to it."""

    supplier_id = models.BigIntegerField(primary_key=True)
    province = models.CharField(max_length=2, null=True)
    island = models.CharField(max_length=50, null=True)
    size_class = models.CharField(max_length=16, null=True)
    systems = ArrayField(models.CharField(max_length=32), default=list)
    first_introduction_day = models.DateField()
    microseconds_to_first_introduction = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.first_introduction_day}"


class PartnershipFact(models.Model):
    """One row per partnership. ``moved_up``: the UMKM's size class rose after the day it was
    created (what counts if it is the UMKM's first partnership in a period)."""

    partnership_id = models.BigIntegerField(primary_key=True)
    supplier_id = models.BigIntegerField()
    created_at = models.DateTimeField()
    day = models.DateField()
    province = models.CharField(max_length=2, null=True)
    island = models.CharField(max_length=50, null=True)
    size_class = models.CharField(max_length=16, null=True)
    system = models.CharField(max_length=32, null=True)
    moved_up = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.day}"
