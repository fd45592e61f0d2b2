"""One copy of the supplier arrays per machine: a versioned snapshot on disk that every process
maps read-only (numpy memory-mapped ``.npy`` files, shared through the page cache).

Without it every process that scores (each Celery pool child, ``rematch``, the web process in
``make run``) builds and holds its own copy of the supplier arrays and the engine's feature
matrix: about 1.2 KB per UMKM, so 1.2 GB per process at 1,000,000 UMKM. With it, the pages are
the kernel's and a process's own memory no longer grows with the number of UMKM or the pool.

Layout under ``MATCHMAKING_SNAPSHOT_DIR/<database name>/``:

``g<G>/`` a *generation*: one array per per-UMKM column, preallocated for more rows (*slots*) than
  it holds, and only ever appended to. ``features.npy`` is the engine's feature matrix F (already
  for the day of the slot's version), ``text.npy`` the description vectors.
``g<G>/v<V>/`` a *version*: how many slots it uses, which of them are dead (a changed UMKM gets a
  new slot; its old one is marked dead, not overwritten), the id -> slot index, the sparse
  certificate lists, the day and the database signature it is current for.
``CURRENT`` names the current version; replaced atomically.

A process maps one version and scores against it to the end: an update appends new slots beyond
the slots any existing version uses and writes a new version directory, so no page a reader sees
ever changes. An update after 1,000 edits reads those 1,000 rows from PostgreSQL and writes about
a megabyte per 100,000 UMKM, never the whole matrix; when the slots run out or a quarter are dead,
the live slots are copied into a new generation (compaction). Writers take an ``flock``.

A dead slot is marked "rejected" in its version's verification column: the engine's hard rule
then keeps it out of every match list and every near miss with no special case.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connections

from suppliers.models import SupplierCertification

from .engine import VERIFICATION_CODES, Engine, SupplierArrays, Vocabulary, concat_rows

logger = logging.getLogger(__name__)

Loader = Callable[[list[int] | None], SupplierArrays]

FORMAT = 1
DEAD = VERIFICATION_CODES.index("rejected")
# Columns stored per slot in a generation (name -> dtype); features and text are 2-D.
SLOT_COLUMNS = {
    "ids": np.int64,
    "province": np.int32,
    "capacity": np.float32,
    "lead_time": np.float32,
}
# Columns stored per version.
VERSION_COLUMNS = (
    "verification",
    "sorted_ids",
    "sorted_slots",
    "cert_rows",
    "cert_cols",
    "cert_until",
    "lc_rows",
    "lc_pct",
    "lc_until",
)
HEADROOM = 0.25  # free slots of a new generation, as a share of its rows
COMPACT_DEAD_SHARE = 0.25
KEEP_VERSIONS = 3


def root_dir(using: str = "default") -> Path | None:
    base = getattr(settings, "MATCHMAKING_SNAPSHOT_DIR", "")
    if not base:
        return None
    return Path(base) / str(connections[using].settings_dict["NAME"])


def max_age_seconds() -> float:
    return float(getattr(settings, "MATCHMAKING_SNAPSHOT_MAX_AGE_HOURS", 24)) * 3600


def enabled() -> bool:
    return bool(getattr(settings, "MATCHMAKING_SNAPSHOT_DIR", ""))


def vocabulary_key(vocab: Vocabulary) -> str:
    """The feature matrix's columns follow the vocabulary: a new process code makes a new
    snapshot."""
    parts = [
        vocab.processes,
        vocab.materials,
        vocab.certifications,
        vocab.components,
        [p.code for p in vocab.provinces],
        sorted(vocab.cert_implies.items()) if hasattr(vocab, "cert_implies") else [],
    ]
    return json.dumps(parts, default=str, sort_keys=True)


def _signature_json(signature: tuple) -> list:
    return [value.isoformat() if isinstance(value, datetime) else value for value in signature]


class SnapshotSuppliers(SupplierArrays):
    """A version of the snapshot, as the engine's ``SupplierArrays``: its columns are views of
    the mapped files."""

    version: str
    day: int
    sorted_ids: np.ndarray
    sorted_slots: np.ndarray

    def position(self, supplier_id: int) -> int | None:
        i = int(np.searchsorted(self.sorted_ids, supplier_id))
        if i < len(self.sorted_ids) and self.sorted_ids[i] == supplier_id:
            return int(self.sorted_slots[i])
        return None

    def rows_of(self, supplier_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        supplier_ids = np.asarray(supplier_ids, dtype=np.int64)
        if not len(self.sorted_ids):
            return np.zeros(len(supplier_ids), np.int64), np.zeros(len(supplier_ids), bool)
        at = np.minimum(np.searchsorted(self.sorted_ids, supplier_ids), len(self.sorted_ids) - 1)
        return self.sorted_slots[at], self.sorted_ids[at] == supplier_ids

    def rows_between(self, low: int, high: int) -> np.ndarray:
        # Live slots only; in slot order, so that an unedited range stays contiguous (a view).
        lo = int(np.searchsorted(self.sorted_ids, low, side="left"))
        hi = int(np.searchsorted(self.sorted_ids, high, side="right"))
        return np.sort(self.sorted_slots[lo:hi])

    def valid_certs(self, today: int, n_certs: int) -> np.ndarray:
        features = self.__dict__.get("_snapshot_features")
        if today == self.day and features is not None:
            return features["cert"]
        return super().valid_certs(today, n_certs)

    def local_content(self, today: int) -> np.ndarray:
        if today == self.day:
            cached = self.__dict__.get("_local")
            if cached is None:
                cached = self.__dict__["_local"] = super().local_content(today)
            return cached
        return super().local_content(today)

    def live_count(self) -> int:
        return len(self.sorted_ids)

    def take(self, rows: np.ndarray) -> SupplierArrays:
        """Contiguous rows (a shard of the full rescore) stay views of the mapped files, with
        the engine's features ready; any other selection is copied."""
        rows = np.asarray(rows, dtype=np.int64)
        contiguous = len(rows) and int(rows[-1]) - int(rows[0]) + 1 == len(rows)
        if contiguous and (len(rows) == 1 or bool(np.all(np.diff(rows) == 1))):
            return self._slice(int(rows[0]), int(rows[-1]) + 1)
        return super().take(rows)

    def _slice(self, lo: int, hi: int) -> SnapshotSuppliers:
        def rows_in(owner_rows: np.ndarray) -> np.ndarray:
            return (owner_rows >= lo) & (owner_rows < hi)

        cert, lc = rows_in(self.cert_rows), rows_in(self.lc_rows)
        in_range = rows_in(self.sorted_slots)
        part = SnapshotSuppliers(
            ids=self.ids[lo:hi],
            province=self.province[lo:hi],
            capacity=self.capacity[lo:hi],
            lead_time=self.lead_time[lo:hi],
            verification=self.verification[lo:hi],
            processes=self.processes[lo:hi],
            materials=self.materials[lo:hi],
            components=self.components[lo:hi],
            cert_rows=self.cert_rows[cert] - lo,
            cert_cols=self.cert_cols[cert],
            cert_until=self.cert_until[cert],
            text=self.text[lo:hi],
            lc_rows=self.lc_rows[lc] - lo,
            lc_pct=self.lc_pct[lc],
            lc_until=self.lc_until[lc],
        )
        part.version, part.day = self.version, self.day
        part.sorted_ids = self.sorted_ids[in_range]
        part.sorted_slots = self.sorted_slots[in_range] - lo
        part.__dict__["_snapshot_features"] = {
            "cert": self.__dict__["_snapshot_features"]["cert"][lo:hi]
        }
        part.__dict__["_features"] = {
            key: {name: values[lo:hi] for name, values in features.items()}
            for key, features in self.__dict__.get("_features", {}).items()
        }
        return part


@dataclass
class _Opened:
    path: Path
    manifest: dict[str, Any]
    arrays: SnapshotSuppliers


_opened: dict[Path, _Opened] = {}


# --- reading -------------------------------------------------------------------------------------


def _current(root: Path) -> str | None:
    try:
        return (root / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def _open_version(root: Path, name: str, vocab: Vocabulary) -> _Opened:
    path = root / name
    manifest = json.loads((path / "manifest.json").read_text())
    generation = path.parent
    count = manifest["count"]
    features = np.load(generation / "features.npy", mmap_mode="r")[:count]
    text = np.load(generation / "text.npy", mmap_mode="r")[:count]
    slot = {c: np.load(generation / f"{c}.npy", mmap_mode="r")[:count] for c in SLOT_COLUMNS}
    # Small per-version columns are read whole (a few MB at a million UMKM).
    ver = {c: np.load(path / f"{c}.npy") for c in VERSION_COLUMNS}
    engine = Engine(vocab, date.fromordinal(manifest["day"]))
    o = engine._layout()
    p, m, c, n = (
        len(vocab.processes),
        len(vocab.materials),
        len(vocab.certifications),
        len(vocab.components),
    )
    arrays = SnapshotSuppliers(
        ids=slot["ids"],
        province=slot["province"],
        capacity=slot["capacity"],
        lead_time=slot["lead_time"],
        verification=ver["verification"],
        processes=features[:, o["proc"] : o["proc"] + p],
        materials=features[:, o["mat"] : o["mat"] + m],
        components=features[:, o["comp"] : o["comp"] + n],
        cert_rows=ver["cert_rows"],
        cert_cols=ver["cert_cols"],
        cert_until=ver["cert_until"],
        text=text,
        lc_rows=ver["lc_rows"],
        lc_pct=ver["lc_pct"],
        lc_until=ver["lc_until"],
    )
    arrays.version = name
    arrays.day = manifest["day"]
    arrays.sorted_ids = ver["sorted_ids"]
    arrays.sorted_slots = ver["sorted_slots"]
    arrays.__dict__["_snapshot_features"] = {"cert": features[:, o["cert"] : o["cert"] + c]}
    _prime_features(engine, arrays, features, text)
    return _Opened(path, manifest, arrays)


def _prime_features(engine: Engine, arrays: SnapshotSuppliers, features, text) -> None:
    """Fills the engine's per-day feature cache with the mapped matrix, so that
    ``Engine.supplier_features`` does not build a private copy of it."""
    cap_unknown = np.isnan(arrays.capacity)
    lead_unknown = np.isnan(arrays.lead_time)
    local = arrays.local_content(arrays.day)
    cache = arrays.__dict__.setdefault("_features", {})
    cache.clear()
    cache[(id(engine.vocab), arrays.day)] = {
        "F": features,
        "capacity": np.where(cap_unknown, 0.0, arrays.capacity).astype(np.float32),
        "lead": np.where(lead_unknown, -1e9, arrays.lead_time).astype(np.float32),
        "text": text,
        "local": np.nan_to_num(local, nan=0.0).astype(np.float32),
        "local_gate": np.nan_to_num(local, nan=-1.0),
    }


def _open_current(root: Path, vocab: Vocabulary) -> _Opened | None:
    for _attempt in range(5):
        name = _current(root)
        if name is None:
            return None
        cached = _opened.get(root)
        if cached is not None and cached.path == root / name:
            return cached
        try:
            opened = _open_version(root, name, vocab)
        except FileNotFoundError:
            # A compaction removed it between reading CURRENT and opening: read CURRENT again.
            time.sleep(0.01)
            continue
        _opened[root] = opened
        return opened
    return None


def forget() -> None:
    """Drops this process's mapped versions (the files stay)."""
    _opened.clear()


def discard(using: str = "default") -> None:
    """Deletes the database's snapshot (tests, a restored database)."""
    forget()
    root = root_dir(using)
    if root is not None and root.exists():
        shutil.rmtree(root, ignore_errors=True)


# --- writing -------------------------------------------------------------------------------------


@contextmanager
def _writer(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish(root: Path, name: str) -> None:
    tmp = root / f"CURRENT.{os.getpid()}"
    tmp.write_text(name)
    os.replace(tmp, root / "CURRENT")


def _write_version(
    generation: Path, number: int, columns: dict[str, np.ndarray], manifest: dict
) -> str:
    path = generation / f"v{number}"
    tmp = generation / f".v{number}.{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for name in VERSION_COLUMNS:
        np.save(tmp / f"{name}.npy", columns[name])
    (tmp / "manifest.json").write_text(json.dumps(manifest))
    os.replace(tmp, path)
    return f"{generation.name}/v{number}"


def _cleanup(root: Path, keep: str) -> None:
    """Removes older generations and all but the newest versions of the current one. A process
    still mapping a removed file keeps its pages until it lets go (POSIX unlink semantics)."""
    generation_name, _ = keep.split("/")
    for entry in root.iterdir():
        if entry.is_dir() and entry.name.startswith("g") and entry.name != generation_name:
            shutil.rmtree(entry, ignore_errors=True)
    generation = root / generation_name
    versions = sorted(
        (int(p.name[1:]) for p in generation.iterdir() if p.is_dir() and p.name[1:].isdigit()),
    )
    for number in versions[:-KEEP_VERSIONS]:
        shutil.rmtree(generation / f"v{number}", ignore_errors=True)


def _features_of(vocab: Vocabulary, day: date, arrays: SupplierArrays) -> np.ndarray:
    features = Engine(vocab, day).supplier_features(arrays)["F"]
    arrays.__dict__.pop("_features", None)
    return features


def _new_generation(
    root: Path,
    vocab: Vocabulary,
    day: date,
    arrays: SupplierArrays,
    features: np.ndarray,
    signature: tuple,
    built: float,
) -> str:
    """Writes ``arrays`` (any order) as a new generation with one version. ``built``: when
    the oldest of its rows was read from PostgreSQL (a compaction keeps its source's)."""
    numbers = [int(p.name[1:]) for p in root.iterdir() if p.is_dir() and p.name[1:].isdigit()]
    number = max(numbers, default=0) + 1
    generation = root / f"g{number}"
    tmp = root / f".g{number}.{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    n = len(arrays)
    capacity = int(n * (1 + HEADROOM)) + 1024

    def allocate(name: str, values: np.ndarray, dtype) -> None:
        shape = (capacity, *values.shape[1:])
        out = np.lib.format.open_memmap(tmp / f"{name}.npy", mode="w+", dtype=dtype, shape=shape)
        out[:n] = values
        out.flush()
        del out

    allocate("features", features, np.float32)
    allocate("text", arrays.text, np.float32)
    for name, dtype in SLOT_COLUMNS.items():
        allocate(name, getattr(arrays, name), dtype)
    os.replace(tmp, generation)
    order = np.argsort(arrays.ids, kind="stable")
    columns = {
        "verification": np.asarray(arrays.verification, np.int8),
        "sorted_ids": np.asarray(arrays.ids, np.int64)[order],
        "sorted_slots": order.astype(np.int64),
        "cert_rows": arrays.cert_rows.astype(np.int64),
        "cert_cols": arrays.cert_cols,
        "cert_until": arrays.cert_until,
        "lc_rows": arrays.lc_rows.astype(np.int64),
        "lc_pct": arrays.lc_pct,
        "lc_until": arrays.lc_until,
    }
    manifest = _manifest(vocab, day, n, capacity, signature, dead=0, built=built)
    name = _write_version(generation, 1, columns, manifest)
    _publish(root, name)
    _cleanup(root, name)
    return name


def _manifest(
    vocab: Vocabulary,
    day: date,
    count: int,
    capacity: int,
    signature: tuple,
    dead: int,
    built: float,
) -> dict:
    return {
        "built": built,
        "format": FORMAT,
        "day": day.toordinal(),
        "count": count,
        "capacity": capacity,
        "dead": dead,
        "vocabulary": vocabulary_key(vocab),
        "signature": _signature_json(signature),
        "created": time.time(),
    }


def _build(root: Path, vocab: Vocabulary, day: date, signature: tuple, load: Loader) -> str:
    started = time.perf_counter()
    arrays = load(None)
    features = _features_of(vocab, day, arrays)
    name = _new_generation(root, vocab, day, arrays, features, signature, built=time.time())
    logger.info(
        "supplier snapshot %s built: %s UMKM in %.1f s",
        name,
        len(arrays),
        time.perf_counter() - started,
    )
    return name


def _crossing(day_from: int, day_to: int, using: str) -> set[int]:
    """UMKM whose certificates' validity differs between the two days (a certificate is valid
    on a day up to and including its end date)."""
    if day_from == day_to:
        return set()
    low, high = sorted((date.fromordinal(day_from), date.fromordinal(day_to)))
    # valid_until in [low, high): valid on ``low``, not on ``high``.
    return set(
        SupplierCertification.objects.using(using)
        .filter(valid_until__gte=low, valid_until__lt=high)
        .values_list("supplier_id", flat=True)
        .distinct()
    )


def _update(
    root: Path,
    opened: _Opened,
    vocab: Vocabulary,
    day: date,
    signature: tuple,
    changed: set[int],
    load: Loader,
) -> str:
    """A new version: ``changed`` UMKM re-read into new slots, their old slots dead."""
    manifest = opened.manifest
    old = opened.arrays
    count, capacity = manifest["count"], manifest["capacity"]
    fresh = load(sorted(changed)) if changed else None
    found = set(fresh.ids.tolist()) if fresh is not None else set()
    k = len(found)
    verification = np.concatenate(
        [old.verification, fresh.verification if fresh is not None else np.zeros(0, np.int8)]
    )
    # Old slots of the re-read and of the deleted UMKM.
    replaced = np.asarray(sorted(changed), np.int64)
    at = np.searchsorted(old.sorted_ids, replaced)
    at = np.minimum(at, max(len(old.sorted_ids) - 1, 0))
    hit = old.sorted_ids[at] == replaced if len(old.sorted_ids) else np.zeros(len(replaced), bool)
    dead_slots = old.sorted_slots[at[hit]]
    verification[dead_slots] = DEAD
    dead = manifest["dead"] + len(dead_slots)
    live_after = count + k - dead
    if count + k > capacity or dead > COMPACT_DEAD_SHARE * max(live_after, 1):
        logger.info(
            "supplier snapshot: compacting (%s slots of %s used, %s dead, %s new)",
            count,
            capacity,
            dead,
            k,
        )
        return _compact(root, opened, vocab, day, signature, fresh, dead_slots)

    generation = opened.path.parent
    if fresh is not None and k:
        features = _features_of(vocab, day, fresh)
        columns = {"features": features, "text": fresh.text}
        columns.update({name: getattr(fresh, name) for name in SLOT_COLUMNS})
        for name, values in columns.items():
            # Slots beyond ``count`` belong to no published version: nobody reads them.
            target = np.load(generation / f"{name}.npy", mmap_mode="r+")
            target[count : count + k] = values
            target.flush()
            del target
    keep_sorted = np.ones(len(old.sorted_ids), bool)
    keep_sorted[at[hit]] = False
    new_ids = fresh.ids if fresh is not None else np.zeros(0, np.int64)
    sorted_ids = np.concatenate([old.sorted_ids[keep_sorted], new_ids])
    sorted_slots = np.concatenate(
        [old.sorted_slots[keep_sorted], np.arange(count, count + k, dtype=np.int64)]
    )
    order = np.argsort(sorted_ids, kind="stable")
    dead_mask = np.zeros(count, bool)
    dead_mask[dead_slots] = True
    cert_keep = ~dead_mask[old.cert_rows]
    lc_keep = ~dead_mask[old.lc_rows]

    def fresh_col(name: str, dtype) -> np.ndarray:
        return getattr(fresh, name) if fresh is not None else np.zeros(0, dtype)

    columns = {
        "verification": verification,
        "sorted_ids": sorted_ids[order],
        "sorted_slots": sorted_slots[order],
        "cert_rows": np.concatenate(
            [old.cert_rows[cert_keep], fresh_col("cert_rows", np.int64).astype(np.int64) + count]
        ),
        "cert_cols": np.concatenate([old.cert_cols[cert_keep], fresh_col("cert_cols", np.int32)]),
        "cert_until": np.concatenate(
            [old.cert_until[cert_keep], fresh_col("cert_until", np.int32)]
        ),
        "lc_rows": np.concatenate(
            [old.lc_rows[lc_keep], fresh_col("lc_rows", np.int64).astype(np.int64) + count]
        ),
        "lc_pct": np.concatenate([old.lc_pct[lc_keep], fresh_col("lc_pct", np.float64)]),
        "lc_until": np.concatenate([old.lc_until[lc_keep], fresh_col("lc_until", np.int32)]),
    }
    number = int(opened.path.name[1:]) + 1
    new_manifest = _manifest(
        vocab, day, count + k, capacity, signature, dead, built=manifest["built"]
    )
    name = _write_version(generation, number, columns, new_manifest)
    _publish(root, name)
    _cleanup(root, name)
    return name


def _compact(
    root: Path,
    opened: _Opened,
    vocab: Vocabulary,
    day: date,
    signature: tuple,
    fresh: SupplierArrays | None,
    dead_slots: np.ndarray,
) -> str:
    """The live slots and the fresh rows, copied into a new generation (from the mapped files:
    no PostgreSQL read of the unchanged UMKM). The features of the kept slots hold for ``day``:
    the UMKM whose certificates changed validity since the old day are among the fresh rows."""
    old = opened.arrays
    live = np.zeros(len(old.ids), bool)
    live[old.sorted_slots] = True
    live[dead_slots] = False
    rows = np.flatnonzero(live)
    kept = old.take(rows)
    kept_features = np.asarray(old.__dict__["_features"][(id(vocab), old.day)]["F"][rows])
    if fresh is not None and len(fresh):
        merged = concat_rows(kept, fresh)
        features = np.concatenate([kept_features, _features_of(vocab, day, fresh)])
        features = features[np.argsort(np.concatenate([kept.ids, fresh.ids]), kind="stable")]
    else:
        merged, features = kept, kept_features
    built = opened.manifest["built"]
    return _new_generation(root, vocab, day, merged, features, signature, built=built)


# --- the entry point -----------------------------------------------------------------------------


def suppliers(
    vocab: Vocabulary,
    *,
    day: date,
    signature: tuple,
    load: Loader,
    changed_since: Callable[[datetime], Iterable[int]],
    all_ids: Callable[[], Iterable[int]],
    using: str = "default",
) -> SnapshotSuppliers:
    """The current version for ``day`` and the database's ``signature`` (deletion counter,
    newest ``updated_at``, largest id), building or updating it first if needed. ``load(ids)`` reads
    UMKM into arrays (all of them for None), ``changed_since(moment)`` gives the ids updated
    since then, ``all_ids()`` every id (to find deleted UMKM)."""
    root = root_dir(using)
    if root is None:
        raise RuntimeError("MATCHMAKING_SNAPSHOT_DIR is not set")
    want = _signature_json(signature)
    ordinal = day.toordinal()
    key = vocabulary_key(vocab)

    def current_enough(opened: _Opened | None) -> bool:
        return (
            opened is not None
            and opened.manifest["signature"] == want
            and opened.manifest["day"] == ordinal
            and opened.manifest["vocabulary"] == key
            and not too_old(opened)
        )

    def too_old(opened: _Opened) -> bool:
        # Updates follow ``updated_at``; a row changed without it (a raw UPDATE, a restore)
        # is caught by the next full build at the latest.
        built = opened.manifest.get("built", opened.manifest["created"])
        return time.time() - built > max_age_seconds()

    opened = _open_current(root, vocab)
    if current_enough(opened):
        return opened.arrays
    with _writer(root):
        # Another process may have brought it up to date while we waited for the lock.
        opened = _open_current(root, vocab)
        if current_enough(opened):
            return opened.arrays
        if opened is None or opened.manifest["vocabulary"] != key or too_old(opened):
            logger.info("supplier snapshot: building (%s)", "new" if opened is None else "stale")
            _build(root, vocab, day, signature, load)
        else:
            changed = _crossing(opened.manifest["day"], ordinal, using)
            latest = opened.manifest["signature"][1]
            if latest is not None:
                changed |= set(changed_since(datetime.fromisoformat(latest)))
            else:
                changed |= set(all_ids())
            deleted = opened.manifest["signature"][0] != want[0]
            name = _update(root, opened, vocab, day, signature, changed, load)
            if deleted:
                # The ids still in the database tell which were deleted.
                opened = _open_version(root, name, vocab)
                present = np.fromiter(all_ids(), np.int64)
                held = opened.arrays.sorted_ids
                missing = held[~np.isin(held, present)]
                if len(missing):
                    _update(root, opened, vocab, day, signature, set(missing.tolist()), load)
        opened = _open_current(root, vocab)
    if opened is None:
        raise RuntimeError(f"the supplier snapshot in {root} could not be opened")
    return opened.arrays
