"""Matches between part requirements and UMKM suppliers, the buyer's decisions about them, and
the precomputed readiness (near misses) the ministry uses to plan training."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Match(models.Model):
    """A scored (requirement, supplier) pair that passed the hard rules.

    Rows are written only by ``matchmaking.services`` (upserted on rescoring; stale pairs removed).
    """

    # No single-column indexes: the composite ones below start with each key. Every index costs
    # on each of the half million upserts of a full rescore.
    requirement = models.ForeignKey(
        "manufacturers.Requirement",
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("requirement"),
        db_index=False,
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("supplier"),
        db_index=False,
    )
    score = models.FloatField(_("score"))
    rank = models.PositiveIntegerField(
        _("rank"), help_text=_("1 is the best within the requirement.")
    )
    components = models.JSONField(_("score components"), default=dict)
    facts = models.JSONField(_("facts for the explanation"), default=dict)
    engine_version = models.CharField(_("engine version"), max_length=32)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        ordering = ["requirement", "rank"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "supplier"], name="match_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="match_score_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["requirement", "-score"], name="match_requirement_score"),
            models.Index(fields=["supplier", "-score"], name="match_supplier_score"),
            # The N-th entry of many lists at once (does a changed supplier enter them?).
            models.Index(fields=["rank", "requirement"], name="match_rank_requirement"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} ~ {self.supplier_id}: {self.score:.1f}"


class MatchDecision(models.Model):
    """The buyer's shortlist / dismiss decision; a separate table so it survives rescoring."""

    class Status(models.TextChoices):
        SHORTLISTED = "shortlisted", _("Shortlisted")
        DISMISSED = "dismissed", _("Dismissed")

    requirement = models.ForeignKey(
        "manufacturers.Requirement",
        on_delete=models.CASCADE,
        related_name="match_decisions",
        verbose_name=_("requirement"),
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="match_decisions",
        verbose_name=_("supplier"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "supplier"], name="match_decision_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} ~ {self.supplier_id}: {self.status}"


class ReadinessSummary(models.Model):
    """Near misses for the ministry: how many suppliers one more certification or process would
    open requirements for, and how many (supplier, requirement) pairs, per province.

    Written by the full rescore in batches of suppliers (``batch`` names the supplier id range,
    so that workers can compute batches in parallel and a rerun replaces its own rows).
    """

    class Kind(models.TextChoices):
        CERTIFICATION = "certification", _("Certification")
        PROCESS = "process", _("Process")

    batch = models.CharField(_("batch"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=32)
    province = models.CharField(_("province code"), max_length=2, blank=True)
    suppliers = models.PositiveIntegerField(_("suppliers it would open requirements for"))
    pairs = models.PositiveIntegerField(_("supplier-requirement pairs it would open"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("readiness summary")
        verbose_name_plural = _("readiness summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "kind", "code", "province"], name="readiness_summary_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "code"], name="readiness_summary_kind_code")]

    def __str__(self) -> str:
        return f"+{self.code} ({self.province or '-'}): {self.suppliers} / {self.pairs}"


class PendingRescore(models.Model):
    """An edit whose rescore could not be enqueued (the broker was unreachable when it was
    saved): kept here until beat's sweep (``matchmaking.tasks.rescore_pending``, every minute)
    enqueues it, so the change does not wait for the nightly full rescore."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        REQUIREMENT = "requirement", _("Requirement")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    # Renewed by every further edit that could not be enqueued: the sweep removes a row only if
    # no edit came after the one it enqueued a rescore for.
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("pending rescore")
        verbose_name_plural = _("pending rescores")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="pending_rescore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ScoringChunk(models.Model):
    """One chunk of bulk scoring work (an import's blocks, the nightly rescore), kept until it is
    done so that a chunk lost with a killed worker is redone within minutes: the task running it
    takes a lease; beat's sweep (``matchmaking.tasks.sweep_chunks``, every minute) enqueues again
    every chunk whose lease expired, and every chunk that could not be enqueued (broker down).
    The broker's own redelivery comes only after its visibility timeout (about 20 minutes)."""

    class Kind(models.TextChoices):
        REQUIREMENTS = "requirements", _("Requirements against all suppliers")
        SUPPLIERS = "suppliers", _("Suppliers against all open requirements")
        READINESS = "readiness", _("Readiness of a range of suppliers")
        SHARD = "shard", _("A block of requirements against a shard of suppliers")
        MERGE = "merge", _("Merge of a block's shard candidates into match lists")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Requirement or supplier ids; for readiness, the [lowest, highest] supplier id; for a shard,
    # [block id, shard number, lowest supplier id, highest supplier id]; for a merge, [block id].
    object_ids = models.JSONField(_("object ids"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("scoring chunk")
        verbose_name_plural = _("scoring chunks")
        indexes = [models.Index(fields=["lease_until"], name="scoring_chunk_lease")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({len(self.object_ids)})"


class ScoringBlock(models.Model):
    """A block of requirements of a sharded full rescore (``matchmaking.workflow``): its shards
    are scored by separate chunks, and the one that finishes last (``shards_left`` reaches zero,
    under this row's lock) plans the block's merge. Deleted by the merge, with its candidates."""

    requirement_ids = models.JSONField(_("requirement ids"), default=list)
    shards = models.PositiveIntegerField(_("shards"))
    shards_left = models.PositiveIntegerField(_("shards left"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("scoring block")
        verbose_name_plural = _("scoring blocks")

    def __str__(self) -> str:
        return f"block #{self.pk} ({len(self.requirement_ids)}, {self.shards_left}/{self.shards})"


class ShardCandidates(models.Model):
    """One shard's best candidates for each requirement of a block: parallel little-endian
    arrays of requirement ids (int64), supplier ids (int64) and block scores (float32, the
    map's very values). Bytes, not SQL arrays: ~14,000 candidates a map, written and read in a
    few milliseconds instead of half a second. Written by the shard's chunk (replaced if it runs
    again); read and deleted by the block's merge."""

    block = models.ForeignKey(
        ScoringBlock, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("block")
    )
    shard = models.PositiveIntegerField(_("shard"))
    requirement_ids = models.BinaryField(_("requirement ids"))
    supplier_ids = models.BinaryField(_("supplier ids"))
    scores = models.BinaryField(_("scores"))
    seconds = models.FloatField(_("seconds"), default=0.0)

    class Meta:
        verbose_name = _("shard candidates")
        verbose_name_plural = _("shard candidates")
        constraints = [
            models.UniqueConstraint(fields=["block", "shard"], name="shard_candidates_once")
        ]

    def __str__(self) -> str:
        return f"block #{self.block_id} shard {self.shard} ({len(self.supplier_ids) // 8})"
