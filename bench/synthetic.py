"""Seeded synthetic suppliers and requirements, written with PostgreSQL COPY.

Each company gets a specialty (a part family with the processes and materials that family is
made with), a province drawn with the real concentration of manufacturing on Java, a size-like
capacity, certificates with realistic end dates (some expired) and a short description in
Bahasa Indonesia or English built from the specialty's words. Requirements are drawn from the
same specialties, so overlaps, near misses and traps arise as they would in real data.
"""

from __future__ import annotations

import io
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from django.db import connection

# Run as a script, the project and bench/ must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# part family: (processes, materials, Indonesian words, English words)
ARCHETYPES = {
    "BAT.MOD.HOLDER": (
        ["INJ_MOULD", "TOOL_DIE"],
        ["PC", "ABS", "PA"],
        "dudukan sel baterai injeksi plastik",
        "battery cell holder injection moulded",
    ),
    "BAT.MOD.BUSBAR": (
        ["STAMP", "LASER_CUT", "WELD_ULTRA", "ELECTROPLATE"],
        ["COPPER", "NICKEL"],
        "busbar tembaga strip nikel",
        "copper busbar nickel strip",
    ),
    "BAT.PACK.ENCL": (
        ["SHEET_BEND", "WELD_ARC", "POWDER_COAT", "LASER_CUT"],
        ["ALUMINIUM", "STEEL"],
        "casing pak baterai pelat aluminium",
        "battery pack enclosure aluminium sheet",
    ),
    "BAT.PACK.SEAL": (
        ["RUBBER_MOULD"],
        ["EPDM", "SILICONE"],
        "gasket seal karet pak baterai",
        "battery pack gasket silicone seal",
    ),
    "BAT.PACK.BRKT": (
        ["STAMP", "WELD_SPOT", "SHEET_BEND"],
        ["STEEL"],
        "braket pak baterai baja",
        "battery pack bracket steel",
    ),
    "BAT.BMS.PCB": (
        ["SMT", "THT", "ELEC_TEST"],
        ["FR4"],
        "perakitan PCB BMS SMT",
        "BMS PCB assembly SMT",
    ),
    "BAT.BMS.HARN": (
        ["HARNESS", "ELEC_TEST"],
        ["COPPER", "PP"],
        "kabel sensor BMS",
        "BMS sensing harness cable",
    ),
    "BAT.THERM.PAD": (
        ["VAC_FORM", "ASSEMBLY"],
        ["SILICONE"],
        "pad termal insulasi",
        "thermal pad insulation",
    ),
    "BAT.THERM.COOL": (
        ["EXTRUDE", "WELD_ARC", "CNC_MILL"],
        ["ALUMINIUM"],
        "pelat pendingin aluminium",
        "aluminium cooling plate",
    ),
    "MOT.HOUSING": (
        ["DIE_CAST", "CNC_MILL", "CNC_TURN"],
        ["ALUMINIUM"],
        "rumah motor die casting aluminium",
        "die cast aluminium motor housing",
    ),
    "MOT.SHAFT": (
        ["CNC_TURN", "GRIND", "HEAT_TREAT"],
        ["STEEL"],
        "poros motor bubut presisi",
        "precision turned motor shaft",
    ),
    "MOT.WIND": (
        ["COIL_WIND", "ELEC_TEST"],
        ["COPPER"],
        "penggulungan kumparan stator tembaga",
        "copper stator coil winding",
    ),
    "MOT.GEAR": (
        ["GEAR_CUT", "HEAT_TREAT", "CNC_TURN"],
        ["STEEL"],
        "roda gigi reduksi",
        "reduction gear cutting",
    ),
    "PWR.CTRL": (
        ["SMT", "ELEC_TEST", "ASSEMBLY"],
        ["FR4"],
        "kontroler motor inverter",
        "motor controller inverter assembly",
    ),
    "PWR.EVSE": (
        ["SHEET_BEND", "POWDER_COAT", "ASSEMBLY"],
        ["STEEL", "STAINLESS"],
        "box SPKLU panel listrik",
        "charging station enclosure panel",
    ),
    "PWR.CONN": (
        ["INJ_MOULD", "STAMP", "HARNESS"],
        ["COPPER", "BRASS", "PA"],
        "konektor kabel daya",
        "power connector cable",
    ),
    "ELE.HARN": (
        ["HARNESS", "ELEC_TEST"],
        ["COPPER", "PP"],
        "wiring harness sepeda motor",
        "motorcycle wiring harness",
    ),
    "ELE.LIGHT": (["SMT", "INJ_MOULD", "ASSEMBLY"], ["PC", "FR4"], "lampu LED", "LED lamp"),
    "BODY.BRKT": (
        ["STAMP", "WELD_SPOT", "LASER_CUT"],
        ["STEEL"],
        "braket baja stamping",
        "stamped steel bracket",
    ),
    "BODY.FRAME": (
        ["WELD_ARC", "SHEET_BEND", "PAINT"],
        ["STEEL", "ALUMINIUM"],
        "rangka sasis baja las",
        "welded steel frame chassis",
    ),
    "BODY.COVER": (
        ["INJ_MOULD", "PAINT", "VAC_FORM"],
        ["ABS", "PP"],
        "cover bodi plastik",
        "plastic body cover fairing",
    ),
    "INT.SEAT": (
        ["SEWING", "ASSEMBLY"],
        ["LEATHER", "TEXTILE"],
        "jok kulit sintetis jahit",
        "seat upholstery synthetic leather",
    ),
    "CHS.BRAKE": (
        ["FORGE", "CNC_TURN", "CNC_MILL"],
        ["STEEL"],
        "komponen rem tempa",
        "forged brake component",
    ),
    "CHS.WHEEL": (
        ["DIE_CAST", "CNC_TURN", "PAINT"],
        ["ALUMINIUM"],
        "velg aluminium",
        "aluminium wheel rim",
    ),
    "GEN.RUBBER": (["RUBBER_MOULD"], ["EPDM", "NBR"], "seal karet grommet", "rubber seal grommet"),
    "GEN.FAST": (["FORGE", "CNC_TURN"], ["STEEL", "STAINLESS"], "baut mur", "bolts nuts fasteners"),
    "GEN.CAST": (
        ["SAND_CAST", "DIE_CAST"],
        ["STEEL", "ALUMINIUM"],
        "pengecoran logam",
        "metal casting",
    ),
    "GEN.PACKAGING": (
        ["VAC_FORM", "ASSEMBLY"],
        ["PP", "WOOD"],
        "kemasan palet",
        "packaging pallet",
    ),
}
# Manufacturing is concentrated on Java (Jabar, Jatim, Jateng, Banten, DKI) and around Batam.
PROVINCE_WEIGHTS = {
    "32": 24,
    "35": 18,
    "33": 14,
    "36": 8,
    "31": 6,
    "34": 3,
    "21": 4,
    "12": 3,
    "16": 2,
    "18": 2,
    "51": 2,
    "64": 2,
    "73": 2,
    "71": 1,
    "61": 1,
    "13": 1,
    "14": 1,
    "52": 1,
    "63": 1,
    "91": 0.5,
    "81": 0.5,
}
QUALITY = ["ISO9001", "ISO9001", "ISO9001", "IATF16949"]
EXTRA_CERTS = ["ISO14001", "SMK3", "SNI", "TKDN", "ROHS", "IPC_A_610", "IPC_WHMA_A_620"]
FILLERS_ID = [
    "melayani OEM dan tier-1",
    "kualitas terjamin",
    "pengiriman tepat waktu",
    "bengkel keluarga sejak 1998",
    "mesin baru",
    "harga bersaing",
]
FILLERS_EN = [
    "serving OEMs and tier-1s",
    "quality assured",
    "on-time delivery",
    "family workshop since 1998",
    "modern machines",
    "competitive prices",
]


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
        )


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(max(id), 1) FROM {table}))"
        )


def _picks(rng, pool, low, high):
    k = int(rng.integers(low, min(high, len(pool)) + 1))
    return list(rng.choice(pool, size=k, replace=False)) if k else []


SUPPLIER_COLUMNS = [
    "id",
    "legal_name",
    "nib",
    "province_id",
    "capacity_per_month",
    "lead_time_days",
    "verification_status",
    "verification_reason",
    "description",
    "created_at",
    "updated_at",
    "address",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
]
CERT_COLUMNS = [
    "id",
    "supplier_id",
    "cert_type_id",
    "valid_until",
    "number",
    "issuer",
    "document",
    "created_at",
    "local_content_pct",
]
REQUIREMENT_COLUMNS = [
    "id",
    "manufacturer_id",
    "reference",
    "title",
    "component_id",
    "annual_volume",
    "needed_by",
    "delivery_province_id",
    "description",
    "status",
    "close_reason",
    "published_at",
    "created_at",
    "updated_at",
    # COPY does not apply the model's defaults: every NOT NULL column is named.
    "local_content_required",
    "quotes_open",
]
BATCH = 50_000


class _Draws:
    """The vocabulary and the one random stream every row is drawn from, in row order: the
    output depends on the seed only, not on how the rows are cut into batches."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.today = date.today()
        # Old timestamps: the data exists before the benchmark starts.
        self.stamp = (datetime.now(UTC) - timedelta(days=30)).isoformat()
        self.families = list(ARCHETYPES)
        self.provinces = list(PROVINCE_WEIGHTS)
        weights = np.array(list(PROVINCE_WEIGHTS.values()), dtype=float)
        self.p_weights = weights / weights.sum()
        self.all_processes = sorted({p for a in ARCHETYPES.values() for p in a[0]})
        self.cert_id = 0


def _supplier_batch(draws: _Draws, first: int, last: int) -> None:
    """Draws suppliers ``first``..``last`` (inclusive) and COPYs them with their relations."""
    from suppliers.models import Supplier, SupplierCertification

    rng, stamp, today = draws.rng, draws.stamp, draws.today
    families, provinces, p_weights = draws.families, draws.provinces, draws.p_weights
    all_processes = draws.all_processes
    sup_rows, proc_rows, comp_rows, mat_rows, cert_rows = [], [], [], [], []
    for sid in range(first, last + 1):
        family = families[int(rng.integers(len(families)))]
        procs, mats, words_id, words_en = ARCHETYPES[family]
        my_procs = set(_picks(rng, procs, 1, len(procs)))
        if rng.random() < 0.3:  # a side capability
            my_procs.add(all_processes[int(rng.integers(len(all_processes)))])
        comps = {family}
        if rng.random() < 0.35:
            comps.add(families[int(rng.integers(len(families)))])
        province = provinces[int(rng.choice(len(provinces), p=p_weights))]
        capacity = None if rng.random() < 0.08 else int(np.exp(rng.normal(7.5, 1.4)))
        lead = None if rng.random() < 0.08 else int(rng.choice([7, 14, 21, 30, 45, 60, 90]))
        status = rng.choice(["verified", "unverified", "rejected"], p=[0.45, 0.5, 0.05])
        indonesian = rng.random() < 0.6
        filler = (FILLERS_ID if indonesian else FILLERS_EN)[int(rng.integers(6))]
        description = f"{words_id if indonesian else words_en}, {filler}."
        sup_rows.append(
            (
                sid,
                f"UMKM Sintetis {sid}",
                f"{7000000000000 + sid:013d}",
                province,
                capacity,
                lead,
                status,
                "NIB not valid" if status == "rejected" else "",
                description,
                stamp,
                stamp,
            )
        )
        proc_rows.extend((sid, p) for p in sorted(my_procs))
        comp_rows.extend((sid, c) for c in sorted(comps))
        mat_rows.extend((sid, m) for m in _picks(rng, mats, 1, len(mats)))
        if rng.random() < 0.45:
            draws.cert_id += 1
            until = today + timedelta(days=int(rng.integers(-200, 1100)))
            cert_rows.append((draws.cert_id, sid, QUALITY[int(rng.integers(4))], until.isoformat()))
        if rng.random() < 0.25:
            draws.cert_id += 1
            until = today + timedelta(days=int(rng.integers(-100, 1100)))
            cert_rows.append(
                (draws.cert_id, sid, EXTRA_CERTS[int(rng.integers(7))], until.isoformat())
            )

    _copy(
        Supplier._meta.db_table,
        SUPPLIER_COLUMNS,
        ((*row, "", "", "", "", "") for row in sup_rows),
    )
    _copy(Supplier.processes.through._meta.db_table, ["supplier_id", "process_id"], proc_rows)
    _copy(
        Supplier.components.through._meta.db_table,
        ["supplier_id", "componentcategory_id"],
        comp_rows,
    )
    _copy(Supplier.materials.through._meta.db_table, ["supplier_id", "material_id"], mat_rows)
    _copy(
        SupplierCertification._meta.db_table,
        CERT_COLUMNS,
        # A TKDN certificate states its local content (from its id: the random sequence stays).
        (
            (*row, "", "", "", stamp, 20 + row[0] % 60 if row[2] == "TKDN" else None)
            for row in cert_rows
        ),
    )


def _requirement_batch(draws: _Draws, first: int, last: int, buyer_ids: list[int]) -> None:
    from manufacturers.models import Requirement

    rng, stamp, today = draws.rng, draws.stamp, draws.today
    families, provinces, p_weights = draws.families, draws.provinces, draws.p_weights
    n_buyers = len(buyer_ids)
    req_rows, rproc, rmat, rreq, rpref = [], [], [], [], []
    for rid in range(first, last + 1):
        family = families[int(rng.integers(len(families)))]
        procs, mats, words_id, words_en = ARCHETYPES[family]
        indonesian = rng.random() < 0.5
        words = words_id if indonesian else words_en
        needed = today + timedelta(days=int(rng.integers(20, 365)))
        req_rows.append(
            (
                rid,
                buyer_ids[rid % n_buyers],
                f"BENCH-{rid:06d}",
                f"Part {rid} {words}",
                family,
                int(np.exp(rng.normal(9.5, 1.2))),
                needed.isoformat(),
                provinces[int(rng.choice(len(provinces), p=p_weights))],
                f"{words}; {'untuk kendaraan listrik' if indonesian else 'for EVs'}.",
                "open",
                "",
                stamp,
                stamp,
                stamp,
                "f",
                "f",
            )
        )
        rproc.extend((rid, p) for p in _picks(rng, procs, 1, min(3, len(procs))))
        rmat.extend((rid, m) for m in _picks(rng, mats, 1, len(mats)))
        roll = rng.random()
        if roll < 0.55:
            rreq.append((rid, "ISO9001"))
        elif roll < 0.7:
            rreq.append((rid, "IATF16949"))
        if rng.random() < 0.3:
            rpref.append((rid, EXTRA_CERTS[int(rng.integers(7))]))
    _copy(Requirement._meta.db_table, REQUIREMENT_COLUMNS, req_rows)
    through = Requirement.processes.through._meta.db_table
    _copy(through, ["requirement_id", "process_id"], rproc)
    _copy(Requirement.materials.through._meta.db_table, ["requirement_id", "material_id"], rmat)
    _copy(
        Requirement.required_certifications.through._meta.db_table,
        ["requirement_id", "certificationtype_id"],
        rreq,
    )
    _copy(
        Requirement.preferred_certifications.through._meta.db_table,
        ["requirement_id", "certificationtype_id"],
        rpref,
    )


def generate(
    n_suppliers: int,
    n_requirements: int,
    seed: int = 42,
    *,
    batch: int = BATCH,
    progress: bool = False,
) -> None:
    """Suppliers, then buyers and requirements, drawn and COPYed ``batch`` rows at a time, so
    that memory stays flat whatever the totals (a batch of 50,000 UMKM holds ~100 MB)."""
    from manufacturers.models import Manufacturer, Requirement
    from suppliers.models import Supplier, SupplierCertification

    draws = _Draws(seed)
    started = time.perf_counter()
    for first in range(1, n_suppliers + 1, batch):
        last = min(first + batch - 1, n_suppliers)
        _supplier_batch(draws, first, last)
        if progress:
            print(
                f"  suppliers {last:,}/{n_suppliers:,} ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    _reset_sequence(Supplier._meta.db_table)
    _reset_sequence(SupplierCertification._meta.db_table)

    n_buyers = max(1, n_requirements // 40)
    buyer_ids = []
    for i in range(n_buyers):
        buyer = Manufacturer.objects.create(
            name=f"Bench OEM {i}",
            kind="vehicle_oem",
            province_id="32",
            verification_status="verified",
        )
        buyer_ids.append(buyer.id)
    for first in range(1, n_requirements + 1, batch):
        _requirement_batch(draws, first, min(first + batch - 1, n_requirements), buyer_ids)
    _reset_sequence(Requirement._meta.db_table)
    if progress:
        print(
            f"  requirements {n_requirements:,} ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )


def generate_database(
    database_url: str,
    n_suppliers: int,
    n_requirements: int,
    seed: int = 42,
    *,
    batch: int = BATCH,
) -> dict:
    """Creates the database if it is missing, migrates it, fills it (it must hold no suppliers
    yet) and ANALYZEs it; returns the seconds taken and the database's size."""
    from bench.matching import _ensure_database, _setup

    _ensure_database(database_url)
    _setup(database_url)
    from django.core.management import call_command
    from django.db import connection

    from suppliers.models import Supplier

    call_command("migrate", verbosity=0)
    have = Supplier.objects.count()
    if have:
        raise SystemExit(f"{database_url} already holds {have} suppliers; drop it first.")
    started = time.perf_counter()
    generate(n_suppliers, n_requirements, seed, batch=batch, progress=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    return {"seconds": round(seconds, 1), "size": size}


def main() -> None:
    import argparse
    import resource

    parser = argparse.ArgumentParser(description="Seeded synthetic UMKM and requirements.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requirements", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch", type=int, default=BATCH, help="UMKM drawn and COPYed at once")
    args = parser.parse_args()
    result = generate_database(
        args.database_url, args.suppliers, args.requirements, args.seed, batch=args.batch
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.suppliers:,} UMKM x {args.requirements:,} requirements in {result['seconds']} s"
        f" (incl. ANALYZE), database {result['size']}, peak RSS of this process {peak:.0f} MB",
        flush=True,
    )


if __name__ == "__main__":
    main()
