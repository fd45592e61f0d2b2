"""Demo buyers for ``seed_demo``: manufacturers, their requirements and a buyer log-in.

Idempotent: manufacturers are found by name and requirements by (manufacturer, reference), so
running it again adds nothing. Everything goes through the services, like real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import email_address_mark_verified
from suppliers import verification
from suppliers.models import CertificationType, ComponentCategory, Material, Process, Province

from . import services
from .models import Manufacturer, ManufacturerMember, Requirement

BUYER_EMAIL = "buyer@demo.rantai.id"
BUYER_PASSWORD = "rantai-demo-2026"  # noqa: S105 - the published demo log-in


@dataclass(frozen=True)
class Part:
    title: str
    component: str
    processes: tuple[str, ...]
    materials: tuple[str, ...]
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    volume: tuple[int, int]
    price: tuple[int, int]
    description: str


# fmt: off
PARTS = {
    "cell_holder": Part(
        "Cell holder 21700, 4×5 array", "BAT.MOD.HOLDER", ("INJ_MOULD",), ("PC", "PA"),
        ("ISO9001",), ("IATF16949", "ROHS"), (60_000, 240_000), (3_500, 9_000),
        "Flame-retardant (UL94 V-0) holder for 20 cells; tolerance ±0.05 mm on cell pockets.",
    ),
    "busbar": Part(
        "Nickel-plated busbar strip 0.2 mm", "BAT.MOD.BUSBAR", ("STAMP", "LASER_CUT"),
        ("NICKEL", "COPPER"), ("ISO9001",), ("IATF16949",), (200_000, 900_000), (900, 2_500),
        "Hilumin strip, punched to drawing, burr under 0.02 mm, packed in anti-static reels.",
    ),
    "pack_tray": Part(
        "Aluminium battery pack tray", "BAT.PACK.ENCL", ("EXTRUDE", "WELD_ARC", "CNC_MILL"),
        ("ALUMINIUM",), ("IATF16949",), ("ISO14001",), (8_000, 30_000), (2_800_000, 4_500_000),
        "6063-T6 extrusions, friction-stir or TIG welded; IP67 leak test on every tray.",
    ),
    "pack_gasket": Part(
        "Battery pack lid gasket", "BAT.PACK.SEAL", ("RUBBER_MOULD",), ("EPDM", "SILICONE"),
        ("ISO9001",), ("IATF16949",), (10_000, 60_000), (45_000, 120_000),
        "Moulded one-piece gasket, compression set under 25%, shore A 50±5.",
    ),
    "pack_bracket": Part(
        "Battery pack mounting bracket", "BAT.PACK.BRKT",
        ("STAMP", "SHEET_BEND", "POWDER_COAT"), ("STEEL",), ("ISO9001",), ("IATF16949",),
        (20_000, 120_000), (18_000, 45_000),
        "SPHC 3.2 mm, black powder coat 60 µm, salt spray 240 h.",
    ),
    "bms_board": Part(
        "BMS slave board assembly", "BAT.BMS.PCB", ("SMT", "ELEC_TEST"), ("FR4",),
        ("IPC_A_610", "ROHS"), ("ISO9001",), (10_000, 80_000), (150_000, 380_000),
        "4-layer FR4, components consigned; in-circuit and functional test by the supplier.",
    ),
    "sense_harness": Part(
        "Cell voltage sensing harness", "BAT.BMS.HARN", ("HARNESS", "ELEC_TEST"), ("COPPER",),
        ("IPC_WHMA_A_620",), ("IATF16949",), (10_000, 80_000), (35_000, 90_000),
        "24-way sensing harness with ring terminals; 100% continuity test.",
    ),
    "thermal_pad": Part(
        "Thermal interface pad 2 mm", "BAT.THERM.PAD", ("RUBBER_MOULD",), ("SILICONE",),
        ("ISO9001",), ("ROHS",), (50_000, 300_000), (6_000, 15_000),
        "Silicone gap pad, 3 W/mK, die-cut to drawing with release liner.",
    ),
    "cooling_plate": Part(
        "Liquid cooling plate", "BAT.THERM.COOL", ("CNC_MILL", "WELD_ULTRA"), ("ALUMINIUM",),
        ("IATF16949",), ("ISO14001",), (8_000, 40_000), (650_000, 1_400_000),
        "Brazed or laser-welded channel plate, pressure test 3 bar, flatness 0.3 mm.",
    ),
    "swap_frame": Part(
        "Battery swap cabinet slot frame", "BAT.SWAP",
        ("LASER_CUT", "SHEET_BEND", "WELD_ARC", "POWDER_COAT"), ("STEEL",), ("ISO9001",),
        ("SNI",), (1_000, 6_000), (1_200_000, 2_600_000),
        "Outdoor-grade frame for 12-slot swap cabinets, galvanised then powder coated.",
    ),
    "motor_housing": Part(
        "Hub motor housing", "MOT.HOUSING", ("DIE_CAST", "CNC_TURN"), ("ALUMINIUM",),
        ("IATF16949",), ("ISO14001",), (30_000, 150_000), (240_000, 520_000),
        "ADC12 high-pressure die casting, bearing seats machined to H7.",
    ),
    "motor_shaft": Part(
        "Motor rotor shaft", "MOT.SHAFT", ("CNC_TURN", "HEAT_TREAT", "GRIND"), ("STEEL",),
        ("ISO9001",), ("IATF16949",), (30_000, 150_000), (85_000, 190_000),
        "S45C induction hardened, bearing journals ground to 0.4 Ra.",
    ),
    "lamination": Part(
        "Stator lamination stack", "MOT.LAM", ("STAMP",), ("STEEL",), ("ISO9001",),
        ("IATF16949",), (30_000, 120_000), (140_000, 320_000),
        "0.35 mm electrical steel, progressive die with interlocking; burr under 0.03 mm.",
    ),
    "winding": Part(
        "Copper stator winding", "MOT.WIND", ("COIL_WIND", "ELEC_TEST"), ("COPPER",),
        ("ISO9001",), ("IATF16949",), (20_000, 100_000), (180_000, 420_000),
        "Class H enamelled wire, hipot and surge test on every stator.",
    ),
    "gear_set": Part(
        "Reduction gear set", "MOT.GEAR", ("GEAR_CUT", "HEAT_TREAT", "GRIND"), ("STEEL",),
        ("IATF16949",), ("ISO14001",), (20_000, 90_000), (210_000, 480_000),
        "Helical gears, carburised, AGMA 9 or better; noise test with our sample housing.",
    ),
    "controller_case": Part(
        "Motor controller enclosure", "PWR.CTRL", ("DIE_CAST", "CNC_MILL", "POWDER_COAT"),
        ("ALUMINIUM",), ("ISO9001",), ("IATF16949",), (20_000, 100_000), (95_000, 210_000),
        "IP65 enclosure with heatsink fins; flatness of the MOSFET face 0.05 mm.",
    ),
    "dcdc_heatsink": Part(
        "DC-DC converter heatsink", "PWR.DCDC", ("EXTRUDE", "CNC_MILL", "ANODIZE"),
        ("ALUMINIUM",), ("ISO9001",), ("ROHS",), (15_000, 80_000), (55_000, 130_000),
        "Extruded profile, cut and machined, black anodised 15 µm.",
    ),
    "obc_board": Part(
        "On-board charger PCB assembly", "PWR.OBC", ("SMT", "THT", "ELEC_TEST"), ("FR4",),
        ("IPC_A_610", "ROHS"), ("ISO9001", "IATF16949"), (5_000, 40_000), (650_000, 1_500_000),
        "Mixed SMT/THT, conformal coating, burn-in 4 h at 45 °C.",
    ),
    "evse_cabinet": Part(
        "SPKLU charger cabinet", "PWR.EVSE",
        ("LASER_CUT", "SHEET_BEND", "WELD_ARC", "POWDER_COAT", "ASSEMBLY"),
        ("STEEL", "STAINLESS"), ("SNI",), ("ISO9001",), (300, 2_500), (9_000_000, 18_000_000),
        "IP55 outdoor cabinet for a 60 kW DC charger, including door, gland plate and plinth.",
    ),
    "charge_cable": Part(
        "Type 2 charging cable assembly", "PWR.CONN", ("HARNESS", "INJ_MOULD", "ELEC_TEST"),
        ("COPPER", "PA"), ("SNI",), ("ISO9001",), (2_000, 20_000), (850_000, 1_900_000),
        "5 m, 32 A three-phase, overmoulded plugs supplied by us.",
    ),
    "main_harness": Part(
        "Main wiring harness", "ELE.HARN", ("HARNESS", "ELEC_TEST"), ("COPPER", "PP"),
        ("IPC_WHMA_A_620", "IATF16949"), ("ISO14001",), (10_000, 90_000), (380_000, 950_000),
        "Complete vehicle harness, 180 circuits, 100% electrical test on a board we supply.",
    ),
    "headlamp": Part(
        "LED headlamp housing", "ELE.LIGHT", ("INJ_MOULD", "ASSEMBLY"), ("PC",), ("SNI",),
        ("ISO9001",), (30_000, 150_000), (65_000, 160_000),
        "PC lens and PP-TF housing, hot-plate welded, IP67.",
    ),
    "switch": Part(
        "Handlebar switch assembly", "ELE.SWITCH", ("INJ_MOULD", "ASSEMBLY"), ("ABS",),
        ("ISO9001",), ("ROHS",), (40_000, 200_000), (28_000, 60_000),
        "Left and right switch housings with buttons; 50,000-cycle endurance.",
    ),
    "body_panel": Part(
        "Stamped body side panel", "BODY.STAMP", ("STAMP", "DEEP_DRAW", "PAINT"), ("STEEL",),
        ("IATF16949",), ("ISO14001",), (8_000, 40_000), (420_000, 900_000),
        "SPCC 0.8 mm, class A surface, e-coat primer before delivery.",
    ),
    "frame": Part(
        "Electric scooter main frame", "BODY.FRAME", ("WELD_ARC", "SHEET_BEND", "POWDER_COAT"),
        ("STEEL",), ("ISO9001",), ("IATF16949",), (20_000, 100_000), (450_000, 850_000),
        "STKM tube frame, robot MIG welded, jig-checked; 100% visual weld inspection.",
    ),
    "brackets": Part(
        "Stamped metal bracket set", "BODY.BRKT", ("STAMP", "LASER_CUT", "ELECTROPLATE"),
        ("STEEL",), ("ISO9001",), (), (50_000, 300_000), (4_500, 14_000),
        "Six brackets per vehicle, zinc-nickel plated, 480 h salt spray.",
    ),
    "fairing": Part(
        "Front fairing and body covers", "BODY.COVER", ("INJ_MOULD", "PAINT"), ("ABS", "PP"),
        ("ISO9001",), ("IATF16949",), (20_000, 120_000), (120_000, 260_000),
        "Seven-piece cover set, painted in three colours, gloss 90 GU.",
    ),
    "dash_trim": Part(
        "Dashboard trim panel", "INT.TRIM", ("INJ_MOULD",), ("PP", "ABS"), ("ISO9001",),
        ("IATF16949",), (8_000, 40_000), (90_000, 210_000),
        "Grained PP-T20, colour matched to our master sample.",
    ),
    "seat": Part(
        "Seat assembly with synthetic leather", "INT.SEAT", ("SEWING", "ASSEMBLY"),
        ("LEATHER", "TEXTILE"), ("ISO9001",), (), (20_000, 100_000), (260_000, 540_000),
        "Moulded foam on steel base, double-stitched cover, water-resistant.",
    ),
    "floor_mat": Part(
        "Rubber floor mat set", "INT.MAT", ("RUBBER_MOULD",), ("EPDM", "TEXTILE"),
        ("ISO9001",), (), (8_000, 40_000), (85_000, 190_000),
        "Four-piece set with logo, odourless compound.",
    ),
    "wheel": Part(
        "Cast alloy wheel 14 inch", "CHS.WHEEL", ("DIE_CAST", "CNC_TURN", "PAINT"),
        ("ALUMINIUM",), ("SNI",), ("IATF16949",), (30_000, 150_000), (380_000, 720_000),
        "Low-pressure cast, radial and lateral run-out 0.5 mm, SNI wheel test.",
    ),
    "brake_disc": Part(
        "Brake disc 220 mm", "CHS.BRAKE", ("LASER_CUT", "CNC_TURN", "HEAT_TREAT"),
        ("STAINLESS",), ("SNI",), ("ISO9001",), (40_000, 200_000), (65_000, 140_000),
        "SUS410 hardened to 32–38 HRC, thickness variation under 0.02 mm.",
    ),
    "suspension_bracket": Part(
        "Rear suspension bracket", "CHS.SUSP", ("FORGE", "CNC_MILL"), ("STEEL",),
        ("ISO9001",), ("IATF16949",), (30_000, 120_000), (38_000, 85_000),
        "Forged S45C, machined bores, ultrasonic crack test on a sample per lot.",
    ),
    "grommets": Part(
        "Rubber grommet and bushing set", "GEN.RUBBER", ("RUBBER_MOULD",), ("NBR", "EPDM"),
        ("ISO9001",), (), (100_000, 600_000), (800, 3_500),
        "Twelve sizes to drawing; oil resistance per ASTM D471.",
    ),
    "bolts": Part(
        "Flange bolts M8 class 10.9", "GEN.FAST", ("FORGE", "HEAT_TREAT", "ELECTROPLATE"),
        ("STEEL",), ("SNI",), ("IATF16949",), (300_000, 2_000_000), (450, 1_200),
        "Cold forged, zinc-flake coated, lot traceability required.",
    ),
    "springs": Part(
        "Compression springs", "GEN.SPRING", ("HEAT_TREAT",), ("STEEL",), ("ISO9001",), (),
        (100_000, 500_000), (600, 2_800), "Music wire, shot peened, load tested per lot.",
    ),
    "pallet": Part(
        "Returnable pallet for battery modules", "GEN.PACKAGING", ("WELD_ARC", "ASSEMBLY"),
        ("STEEL", "WOOD"), ("ISO9001",), (), (500, 4_000), (1_100_000, 2_400_000),
        "Stackable four-high, forklift entry on four sides, ESD-safe liners.",
    ),
    "weld_jig": Part(
        "Welding jig for battery tray", "GEN.TOOLING", ("TOOL_DIE", "CNC_MILL", "WELD_ARC"),
        ("STEEL",), ("ISO9001",), (), (1, 4), (120_000_000, 260_000_000),
        "Manual clamping jig with locating pins; design by the supplier, approved by us.",
    ),
}


@dataclass(frozen=True)
class DemoManufacturer:
    name: str
    kind: str
    province: str
    address: str
    website: str
    verified: bool
    parts: tuple[str, ...]


# fmt: on


K = Manufacturer.Kind
# fmt: off
MANUFACTURERS = (
    DemoManufacturer(
        "PT Nusantara Kendaraan Listrik", K.VEHICLE_OEM, "32",
        "Kawasan Industri KIIC, Karawang", "https://nkl.example.id", True,
        ("pack_tray", "main_harness", "body_panel", "dash_trim", "floor_mat", "brackets",
         "cooling_plate"),
    ),
    DemoManufacturer(
        "PT Garuda Motor Elektrik", K.TWO_THREE_WHEELER_OEM, "33",
        "Kawasan Industri Wijayakusuma, Semarang", "https://garudamotor.example.id", True,
        ("frame", "fairing", "wheel", "brake_disc", "switch", "seat"),
    ),
    DemoManufacturer(
        "PT Selaras E-Moto Indonesia", K.TWO_THREE_WHEELER_OEM, "36",
        "Jl. Raya Serang Km 24, Balaraja, Tangerang", "https://selaras-emoto.example.id", True,
        ("motor_housing", "headlamp", "suspension_bracket", "cell_holder", "frame", "bolts"),
    ),
    DemoManufacturer(
        "PT Baterai Energi Nusantara", K.BATTERY_MAKER, "32",
        "Kawasan Industri Jababeka, Cikarang, Bekasi", "https://ben-battery.example.id", True,
        ("cell_holder", "busbar", "pack_gasket", "bms_board", "thermal_pad", "pallet"),
    ),
    DemoManufacturer(
        "PT Sel Daya Batam", K.BATTERY_MAKER, "21",
        "Batamindo Industrial Park, Muka Kuning, Batam", "https://seldaya.example.id", True,
        ("busbar", "sense_harness", "pack_bracket", "cooling_plate", "weld_jig", "pallet"),
    ),
    DemoManufacturer(
        "PT Kabel Otomotif Prima", K.TIER1, "35",
        "PIER Pasuruan, Jawa Timur", "https://kabelprima.example.id", True,
        ("main_harness", "sense_harness", "charge_cable", "grommets", "switch"),
    ),
    DemoManufacturer(
        "PT Presisi Komponen Otomotif", K.TIER1, "32",
        "Kawasan Industri MM2100, Cikarang Barat", "https://presisi-komponen.example.id", True,
        ("motor_shaft", "gear_set", "lamination", "springs", "bolts", "suspension_bracket"),
    ),
    DemoManufacturer(
        "PT Inverter Teknologi Indonesia", K.TIER1, "21",
        "Kawasan Industri Kabil, Batam", "https://inverter-tek.example.id", True,
        ("controller_case", "dcdc_heatsink", "obc_board", "bms_board", "winding"),
    ),
    DemoManufacturer(
        "PT Cahaya Pengisian Daya", K.CHARGING, "31",
        "Jl. TB Simatupang Kav. 18, Jakarta Selatan", "https://cahaya-charging.example.id", True,
        ("evse_cabinet", "charge_cable", "obc_board", "bolts", "brackets"),
    ),
    DemoManufacturer(
        "PT Tukar Baterai Indonesia", K.CHARGING, "36",
        "Jl. Jenderal Sudirman, Cilegon", "https://tukarbaterai.example.id", True,
        ("swap_frame", "pack_gasket", "pack_bracket", "evse_cabinet", "pallet"),
    ),
    DemoManufacturer(
        "PT Bus Listrik Merah Putih", K.VEHICLE_OEM, "35",
        "Kawasan Industri Rungkut, Surabaya", "https://buslistrik.example.id", True,
        ("seat", "body_panel", "main_harness", "pack_tray", "headlamp", "wheel"),
    ),
    DemoManufacturer(
        "PT Roda Tiga Listrik Sejahtera", K.TWO_THREE_WHEELER_OEM, "34",
        "Jl. Wates Km 10, Sleman, Yogyakarta", "", False,
        ("frame", "fairing", "motor_housing", "brake_disc", "seat"),
    ),
    DemoManufacturer(
        "PT Mitra Baterai Sulawesi", K.BATTERY_MAKER, "72",
        "Kawasan Industri Morowali, Sulawesi Tengah", "", False,
        ("busbar", "cell_holder", "thermal_pad", "pack_tray", "pallet"),
    ),
)

# fmt: on


def _round(value: int) -> int:
    if value < 10_000:
        return max(1, round(value, -2) if value >= 1_000 else value)
    return round(value, -3)


def _ensure_buyer(manufacturer: Manufacturer) -> User:
    user = User.objects.filter(email__iexact=BUYER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            BUYER_EMAIL,
            BUYER_PASSWORD,
            full_name="Rina Wulandari",
            role=User.Role.BUYER,
            preferred_language="id",
        )
    email_address_mark_verified(user=user)
    if not hasattr(user, "manufacturer_membership"):
        ManufacturerMember.objects.create(
            user=user, manufacturer=manufacturer, role=ManufacturerMember.Role.OWNER
        )
    return user


def _requirement_data(part: Part, rng: random.Random, reference: str, province: str) -> dict:
    today = timezone.localdate()
    low = _round(rng.randint(*part.price))
    high = _round(int(low * rng.uniform(1.15, 1.6)))
    return {
        "reference": reference,
        "title": part.title,
        "component": ComponentCategory.objects.get(pk=part.component),
        "processes": list(Process.objects.filter(pk__in=part.processes)),
        "materials": list(Material.objects.filter(pk__in=part.materials)),
        "required_certifications": list(CertificationType.objects.filter(pk__in=part.required)),
        "preferred_certifications": list(CertificationType.objects.filter(pk__in=part.preferred)),
        "annual_volume": _round(rng.randint(*part.volume)),
        "target_price_min_idr": low,
        "target_price_max_idr": high,
        "needed_by": today + timedelta(days=rng.randint(45, 330)),
        "delivery_province": Province.objects.get(pk=province),
        "min_local_content_pct": rng.choice([None, None, 25, 40, 40, 60]),
        "description": part.description,
    }


@transaction.atomic
def seed_manufacturers(*, rng: random.Random, stdout) -> None:
    year = timezone.localdate().year
    created_manufacturers = created_requirements = 0
    buyer = None
    for index, demo in enumerate(MANUFACTURERS):
        manufacturer = Manufacturer.objects.filter(name=demo.name).first()
        npwp = f"0{rng.randint(10**14, 10**15 - 1)}"
        if manufacturer is None:
            manufacturer = services.manufacturer_create(
                owner=None,
                data={
                    "name": demo.name,
                    "kind": demo.kind,
                    "npwp": npwp if not Manufacturer.objects.filter(npwp=npwp).exists() else None,
                    "province": Province.objects.get(pk=demo.province),
                    "address": demo.address,
                    "website": demo.website,
                },
            )
            created_manufacturers += 1
        if index == 0:
            buyer = _ensure_buyer(manufacturer)
        verifier = User.objects.filter(role=User.Role.MINISTRY).first() or buyer
        if demo.verified and not manufacturer.is_verified and verifier.is_ministry:
            verification.verification_decide(firm=manufacturer, by=verifier, decision="approved")
        elif demo.verified and not manufacturer.is_verified:
            # No ministry account yet (seed run on its own): record the status directly.
            Manufacturer.objects.filter(pk=manufacturer.pk).update(
                verification_status="verified", verified_at=timezone.now()
            )
            manufacturer.refresh_from_db()

        for number, key in enumerate(demo.parts, start=1):
            reference = f"RFQ-{year}-{index + 1:02d}{number:02d}"
            data = _requirement_data(PARTS[key], rng, reference, demo.province)
            if Requirement.objects.filter(manufacturer=manufacturer, reference=reference).exists():
                continue
            requirement = services.requirement_create(
                manufacturer=manufacturer, created_by=buyer if index == 0 else None, data=data
            )
            created_requirements += 1
            # Mostly open; the last part of each list stays a draft, an occasional one is won.
            if manufacturer.is_verified and number < len(demo.parts):
                services.requirement_publish(requirement=requirement, by=buyer)
                if number == 2 and index % 4 == 3:
                    services.requirement_close(
                        requirement=requirement,
                        by=buyer,
                        reason=Requirement.CloseReason.AWARDED,
                    )
    stdout.write(
        _("Demo manufacturers created: %(m)d, requirements created: %(r)d (open: %(open)d).")
        % {
            "m": created_manufacturers,
            "r": created_requirements,
            "open": Requirement.objects.open().count(),
        }
        + "\n"
    )
    stdout.write(
        _("Buyer demo log-in: %(email)s / %(password)s (%(company)s)")
        % {"email": BUYER_EMAIL, "password": BUYER_PASSWORD, "company": MANUFACTURERS[0].name}
        + "\n"
    )
