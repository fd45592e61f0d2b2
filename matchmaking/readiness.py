"""Near misses for the readiness views: open requirements a supplier would match with exactly
one more certification or one more process (see ``engine.near_misses``), summarised per province
for the ministry (``ReadinessSummary``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import transaction
from django.utils import timezone

from suppliers.models import Supplier

from . import data
from .engine import RequirementArrays, SupplierArrays, Vocabulary, near_misses
from .models import ReadinessSummary


@dataclass
class Readiness:
    """Near misses of some suppliers: counts per (supplier row, certification / process)."""

    cert: np.ndarray  # (n, C) int
    process: np.ndarray  # (n, P) int

    @classmethod
    def empty(cls, n: int, vocab: Vocabulary) -> Readiness:
        return cls(
            np.zeros((n, len(vocab.certifications)), np.int64),
            np.zeros((n, len(vocab.processes)), np.int64),
        )

    def add(self, reqs: RequirementArrays, misses) -> None:
        if len(misses.cert):
            np.add.at(self.cert, (misses.cert[:, 1], misses.cert[:, 2]), 1)
        if len(misses.process):
            np.add.at(
                self.process,
                misses.process[:, 1],
                reqs.processes[misses.process[:, 0]].astype(np.int64),
            )


def write_summary(vocab: Vocabulary, sups: SupplierArrays, readiness: Readiness, batch: str) -> int:
    """Replaces the summary rows of ``batch`` with these suppliers' near misses, per province."""
    now = timezone.now()
    provinces = [p.code for p in vocab.provinces] + [""]
    rows = []
    for kind, counts, codes in (
        (ReadinessSummary.Kind.CERTIFICATION, readiness.cert, vocab.certifications),
        (ReadinessSummary.Kind.PROCESS, readiness.process, vocab.processes),
    ):
        suppliers = np.zeros((len(provinces), counts.shape[1]), np.int64)
        pairs = np.zeros_like(suppliers)
        np.add.at(suppliers, sups.province, counts > 0)
        np.add.at(pairs, sups.province, counts)
        for p, c in zip(*np.nonzero(pairs), strict=True):
            rows.append(
                ReadinessSummary(
                    batch=batch,
                    kind=kind,
                    code=codes[c],
                    province=provinces[p],
                    suppliers=int(suppliers[p, c]),
                    pairs=int(pairs[p, c]),
                    computed_at=now,
                )
            )
    ReadinessSummary.objects.filter(batch=batch).delete()
    ReadinessSummary.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh_readiness(low_id: int, high_id: int, *, day: date | None = None) -> int:
    """Recomputes the readiness summary of the suppliers with ids in [low_id, high_id] (a batch
    of the nightly job); returns the summary rows written."""
    vocab, engine = data.load_engine(day or timezone.localdate())
    ids = list(
        Supplier.objects.filter(id__gte=low_id, id__lte=high_id).values_list("id", flat=True)
    )
    sups = data.load_suppliers(vocab, ids)
    reqs = data.requirement_index(vocab)
    found = Readiness.empty(len(sups), vocab)
    if len(sups) and len(reqs):
        for start in range(0, len(reqs), 1024):
            rows = np.arange(start, min(start + 1024, len(reqs)))
            block = engine.score_block(reqs, rows, sups, with_parts=True)
            found.add(reqs, near_misses(engine, reqs, rows, sups, block))
    with transaction.atomic():
        return write_summary(vocab, sups, found, readiness_batch(low_id, high_id))


def readiness_batch(low_id: int, high_id: int) -> str:
    return f"{low_id}-{high_id}"
