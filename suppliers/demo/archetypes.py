"""Kinds of parts makers for the demo data: what each does, with what, and for which parts.

Codes are the reference data's (processes, materials, component categories, KBLI,
certifications), so that each company's capabilities fit together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Archetype:
    key: str
    weight: int
    words: tuple[str, ...]
    processes: tuple[str, ...]  # always
    extra_processes: tuple[str, ...]  # some of these
    materials: tuple[str, ...]
    components: tuple[str, ...]  # the first always, some of the rest
    kbli: tuple[str, ...]
    certifications: tuple[tuple[str, float], ...]  # (code, chance for a small company)
    capacity: int  # units a month for a small company
    lead_time: int
    description_id: str
    description_en: str


ARCHETYPES = (
    Archetype(
        "harness",
        14,
        ("Kabel", "Elektrika", "Kabelindo", "Wiring"),
        ("HARNESS", "ELEC_TEST"),
        ("INJ_MOULD", "ASSEMBLY"),
        ("COPPER", "PA", "PP", "SILICONE"),
        ("ELE.HARN", "BAT.BMS.HARN", "PWR.CONN"),
        ("27320", "27330", "30912"),
        (("IPC_WHMA_A_620", 0.3), ("ISO9001", 0.4), ("ROHS", 0.3), ("IATF16949", 0.08)),
        8000,
        14,
        "Perakitan wiring harness dan kabel sensor BMS untuk motor dan mobil listrik: crimping, "
        "terminal, konektor, uji kontinuitas 100%.",
        "Wire harness and BMS sensor cable assembly for electric motorcycles and cars: crimping, "
        "terminals, connectors, 100% continuity testing.",
    ),
    Archetype(
        "stamping",
        16,
        ("Logam", "Metalindo", "Press", "Presisi", "Steel"),
        ("STAMP", "SHEET_BEND", "WELD_SPOT"),
        ("LASER_CUT", "TOOL_DIE", "DEEP_DRAW", "WELD_ARC"),
        ("STEEL", "STAINLESS", "ALUMINIUM"),
        ("BODY.BRKT", "BAT.PACK.BRKT", "BODY.STAMP", "BAT.PACK.ENCL"),
        ("25910", "29300", "30912"),
        (("ISO9001", 0.45), ("IATF16949", 0.12), ("SNI", 0.2), ("SMK3", 0.2), ("TKDN", 0.15)),
        20000,
        21,
        "Stamping, tekuk dan las titik pelat baja untuk braket, dudukan pak baterai dan panel "
        "bodi.",
        "Press stamping, bending and spot welding of steel sheet: brackets, battery pack mounts "
        "and body panels.",
    ),
    Archetype(
        "machining",
        14,
        ("Presisi", "Mekanika", "Teknik", "Machining", "Engineering"),
        ("CNC_TURN", "CNC_MILL"),
        ("GRIND", "HEAT_TREAT", "GEAR_CUT"),
        ("STEEL", "ALUMINIUM", "BRASS", "STAINLESS"),
        ("MOT.SHAFT", "MOT.HOUSING", "GEN.FAST", "CHS.BRAKE", "MOT.GEAR"),
        ("25920", "29300"),
        (("ISO9001", 0.4), ("IATF16949", 0.08), ("SMK3", 0.15)),
        5000,
        21,
        "Bubut dan frais CNC untuk poros motor, rumah motor dan komponen presisi dengan toleransi "
        "hingga 0,01 mm.",
        "CNC turning and milling of motor shafts, housings and precision parts, tolerances down "
        "to 0.01 mm.",
    ),
    Archetype(
        "plastic",
        12,
        ("Plastindo", "Plastik", "Polimer", "Mold"),
        ("INJ_MOULD",),
        ("TOOL_DIE", "ASSEMBLY", "BLOW_MOULD"),
        ("ABS", "PP", "PA", "PC"),
        ("BODY.COVER", "INT.TRIM", "BAT.MOD.HOLDER", "ELE.SWITCH"),
        ("22293", "30912"),
        (("ISO9001", 0.4), ("ROHS", 0.2), ("SNI", 0.15), ("TKDN", 0.1)),
        30000,
        20,
        "Injeksi plastik untuk cover bodi, trim interior dan dudukan sel baterai; cetakan sendiri.",
        "Plastic injection moulding of body covers, interior trim and battery cell holders; "
        "in-house moulds.",
    ),
    Archetype(
        "rubber",
        7,
        ("Karet", "Rubber", "Seal"),
        ("RUBBER_MOULD",),
        ("TOOL_DIE",),
        ("EPDM", "NBR", "SILICONE"),
        ("GEN.RUBBER", "BAT.PACK.SEAL", "BAT.THERM.PAD"),
        ("22192",),
        (("ISO9001", 0.3), ("SNI", 0.2)),
        25000,
        18,
        "Cetak karet EPDM dan silikon: gasket pak baterai, grommet, bushing dan seal.",
        "EPDM and silicone rubber moulding: battery pack gaskets, grommets, bushings and seals.",
    ),
    Archetype(
        "electronics",
        9,
        ("Elektronika", "Elektro", "Tronik", "Digital"),
        ("SMT", "ELEC_TEST"),
        ("THT", "ASSEMBLY"),
        ("FR4", "COPPER"),
        ("BAT.BMS.PCB", "PWR.CTRL", "PWR.DCDC", "ELE.LIGHT", "ELE.DASH", "ELE.SENSOR"),
        ("26120", "27120", "27403"),
        (("IPC_A_610", 0.35), ("ROHS", 0.5), ("ISO9001", 0.45), ("ISO14001", 0.1)),
        4000,
        30,
        "Perakitan PCB SMT dan through-hole untuk BMS, kontroler dan lampu LED, dengan AOI dan "
        "uji fungsi.",
        "SMT and through-hole PCB assembly for BMS boards, controllers and LED lamps, with AOI "
        "and functional testing.",
    ),
    Archetype(
        "fabrication",
        10,
        ("Las", "Fabrikasi", "Konstruksi", "Baja"),
        ("WELD_ARC", "SHEET_BEND"),
        ("LASER_CUT", "POWDER_COAT", "PAINT"),
        ("STEEL", "ALUMINIUM"),
        ("BODY.FRAME", "BODY.BRKT", "BAT.SWAP", "PWR.EVSE"),
        ("25999", "29200"),
        (("SMK3", 0.3), ("ISO9001", 0.25), ("TKDN", 0.1)),
        800,
        25,
        "Fabrikasi rangka dan sasis baja, rak stasiun tukar baterai dan rumah SPKLU; las MIG/TIG "
        "dan powder coating.",
        "Fabrication of steel frames and chassis, battery-swap station racks and charger "
        "enclosures; MIG/TIG welding and powder coating.",
    ),
    Archetype(
        "casting",
        6,
        ("Cor", "Foundry", "Logam", "Casting"),
        ("SAND_CAST",),
        ("DIE_CAST", "CNC_MILL", "HEAT_TREAT"),
        ("ALUMINIUM", "STEEL"),
        ("GEN.CAST", "MOT.HOUSING", "CHS.WHEEL", "CHS.BRAKE"),
        ("24310", "24320"),
        (("ISO9001", 0.2), ("SNI", 0.2)),
        3000,
        30,
        "Pengecoran aluminium dan besi untuk rumah motor, tromol dan coran umum; finishing CNC.",
        "Aluminium and iron casting of motor housings, drums and general castings; CNC finishing.",
    ),
    Archetype(
        "motor",
        5,
        ("Dinamo", "Elektrik", "Motor", "Gulung"),
        ("COIL_WIND", "ELEC_TEST"),
        ("STAMP", "ASSEMBLY"),
        ("COPPER", "STEEL"),
        ("MOT.WIND", "MOT.LAM"),
        ("27111",),
        (("ISO9001", 0.3), ("SNI", 0.2)),
        2000,
        21,
        "Penggulungan kumparan tembaga dan perakitan stator untuk motor listrik roda dua.",
        "Copper coil winding and stator assembly for two-wheeler electric motors.",
    ),
    Archetype(
        "upholstery",
        5,
        ("Jok", "Trim", "Interior", "Kulit"),
        ("SEWING",),
        ("VAC_FORM", "ASSEMBLY"),
        ("LEATHER", "TEXTILE"),
        ("INT.SEAT", "INT.MAT"),
        ("29300", "30912"),
        (("SNI", 0.15), ("ISO9001", 0.15)),
        3000,
        14,
        "Jahit jok dan pelapis interior dari kulit sintetis dan tekstil untuk motor dan mobil.",
        "Seat and interior upholstery in synthetic leather and textile for motorcycles and cars.",
    ),
    Archetype(
        "finishing",
        6,
        ("Coating", "Plating", "Finishing", "Warna"),
        ("ELECTROPLATE", "POWDER_COAT"),
        ("ANODIZE", "PAINT"),
        ("NICKEL", "STEEL", "ALUMINIUM"),
        ("GEN.FAST", "BODY.BRKT", "BAT.MOD.BUSBAR"),
        ("25920",),
        (("ISO14001", 0.2), ("ISO9001", 0.25)),
        50000,
        10,
        "Jasa elektroplating nikel dan seng, powder coating dan anodisasi untuk komponen logam.",
        "Nickel and zinc electroplating, powder coating and anodising services for metal parts.",
    ),
    Archetype(
        "busbar",
        4,
        ("Konduktor", "Energi", "Baterai"),
        ("STAMP", "WELD_ULTRA"),
        ("ELECTROPLATE", "LASER_CUT"),
        ("COPPER", "NICKEL", "ALUMINIUM"),
        ("BAT.MOD.BUSBAR", "BAT.MOD.HOLDER", "BAT.PACK.BRKT"),
        ("27202", "27203"),
        (("ISO9001", 0.4), ("UN383", 0.1), ("IEC62133", 0.1)),
        60000,
        14,
        "Busbar tembaga dan strip nikel untuk modul baterai, las ultrasonik dan laser.",
        "Copper busbars and nickel strips for battery modules, ultrasonic and laser welding.",
    ),
    Archetype(
        "springs",
        4,
        ("Pegas", "Baut", "Fastindo"),
        ("FORGE", "HEAT_TREAT"),
        ("CNC_TURN", "GRIND"),
        ("STEEL", "STAINLESS"),
        ("GEN.SPRING", "GEN.FAST", "CHS.SUSP"),
        ("25952",),
        (("ISO9001", 0.3), ("SNI", 0.3)),
        100000,
        14,
        "Tempa dan perlakuan panas untuk pegas, baut khusus dan komponen suspensi.",
        "Forging and heat treatment of springs, special bolts and suspension parts.",
    ),
    Archetype(
        "extrusion",
        4,
        ("Aluminium", "Alumindo", "Profil"),
        ("EXTRUDE", "CNC_MILL"),
        ("ANODIZE", "WELD_ARC"),
        ("ALUMINIUM",),
        ("BAT.PACK.ENCL", "BAT.THERM.COOL", "BODY.FRAME"),
        ("24204",),
        (("ISO9001", 0.4), ("IATF16949", 0.05), ("ISO14001", 0.15)),
        10000,
        28,
        "Ekstrusi profil aluminium untuk casing pak baterai dan pelat pendingin, dipotong dan "
        "difrais sesuai gambar.",
        "Aluminium extrusions for battery pack enclosures and cooling plates, cut and milled to "
        "drawing.",
    ),
    Archetype(
        "tooling",
        4,
        ("Mould", "Dies", "Tooling", "Presisi"),
        ("TOOL_DIE", "CNC_MILL"),
        ("GRIND", "HEAT_TREAT", "PRINT_3D"),
        ("STEEL",),
        ("GEN.TOOLING",),
        ("28221",),
        (("ISO9001", 0.3),),
        20,
        45,
        "Pembuatan cetakan injeksi, dies stamping dan jig untuk industri otomotif.",
        "Injection moulds, stamping dies and jigs for the automotive industry.",
    ),
)

# Kemendagri province code -> (weight, regencies where the industry is, empty = any).
