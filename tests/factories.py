"""Shared factory-boy factories. Add to this file with small edits (several people use it)."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from suppliers.models import (
    CertificationType,
    ComponentCategory,
    Province,
    Regency,
    SizeClass,
    Supplier,
    SupplierCertification,
    SupplierMember,
    SupplierPhoto,
)

# The smallest valid PDF and PNG: real files, so content sniffing accepts them.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def tiny_png(size: tuple[int, int] = (8, 8), color: str = "navy") -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True  # the consent hook writes its own row

    email = factory.Sequence(lambda n: f"user{n}@example.id")
    full_name = factory.Faker("name", locale="id_ID")
    role = User.Role.BUYER
    password = factory.django.Password("rantai-test-pass-123")

    @factory.post_generation
    def privacy_consent(user, create, extracted, **kwargs):
        # Every account here accepted the privacy notice in force, as a sign-up does;
        # UserFactory(privacy_consent=False) makes one that has not.
        if create and extracted is not False:
            from accounts.privacy import consent_record

            consent_record(user=user)


class UmkmUserFactory(UserFactory):
    role = User.Role.UMKM


class BuyerUserFactory(UserFactory):
    role = User.Role.BUYER


class MinistryUserFactory(UserFactory):
    role = User.Role.MINISTRY


class AdminUserFactory(UserFactory):
    role = User.Role.ADMIN
    is_staff = True
    is_superuser = True


def _regency() -> Regency:
    return Regency.objects.select_related("province").order_by("code").first()


class SupplierFactory(factory.django.DjangoModelFactory):
    """A company with a full public profile; reference data comes from the data migration."""

    class Meta:
        model = Supplier

    legal_name = factory.Sequence(lambda n: f"CV Logam Presisi {n}")
    nib = factory.Sequence(lambda n: f"{9120000000000 + n:013d}")
    size_class = factory.LazyFunction(lambda: SizeClass.objects.order_by("rank").first())
    regency = factory.LazyFunction(_regency)
    province = factory.LazyAttribute(lambda o: o.regency.province if o.regency else None)
    address = "Jl. Industri No. 7"
    founded_year = 2012
    employees = 25
    description = "Stamping and machining of small steel parts."
    contact_name = "Budi Santoso"
    contact_email = factory.Sequence(lambda n: f"contact{n}@umkm.example.id")
    contact_phone = "+6281234567890"
    capacity_per_month = 5000
    lead_time_days = 14
    min_order_qty = 100


class SupplierMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierMember

    user = factory.SubFactory(UmkmUserFactory)
    supplier = factory.SubFactory(SupplierFactory)
    role = SupplierMember.Role.OWNER


class SupplierCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierCertification

    supplier = factory.SubFactory(SupplierFactory)
    cert_type = factory.LazyFunction(lambda: CertificationType.objects.get(code="ISO9001"))
    number = factory.Sequence(lambda n: f"QMS-{n:05d}")
    issuer = "TÜV Rheinland Indonesia"
    valid_until = factory.Faker("date_between", start_date="+30d", end_date="+3y")
    document = factory.LazyFunction(lambda: ContentFile(TINY_PDF, name="certificate.pdf"))


class SupplierPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierPhoto

    supplier = factory.SubFactory(SupplierFactory)
    image = factory.LazyFunction(lambda: ContentFile(tiny_png(), name="photo.png"))
    caption = "Workshop"


def province_with_regency() -> tuple[Province, Regency]:
    regency = _regency()
    return regency.province, regency


# --- Manufacturers (buyer side) ---------------------------------------------------------------


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "manufacturers.Manufacturer"

    name = factory.Sequence(lambda n: f"PT Kendaraan Listrik {n}")
    kind = "vehicle_oem"
    npwp = factory.Sequence(lambda n: f"{1_234_567_890_000_000 + n:016d}")
    province = factory.LazyFunction(lambda: Province.objects.get(code="32"))
    address = "Kawasan Industri KIIC, Karawang"
    verification_status = "verified"


class ManufacturerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "manufacturers.ManufacturerMember"

    user = factory.SubFactory(BuyerUserFactory)
    manufacturer = factory.SubFactory(ManufacturerFactory)
    role = "owner"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "manufacturers.Requirement"
        skip_postgeneration_save = True

    manufacturer = factory.SubFactory(ManufacturerFactory)
    reference = factory.Sequence(lambda n: f"RFQ-{n:04d}")
    title = "Cell holder 21700"
    component = factory.LazyFunction(lambda: ComponentCategory.objects.get(code="BAT.MOD.HOLDER"))
    annual_volume = 50_000
    target_price_min_idr = 4_000
    target_price_max_idr = 6_000
    needed_by = factory.LazyFunction(lambda: date.today() + timedelta(days=90))
    delivery_province = factory.LazyFunction(lambda: Province.objects.get(code="32"))
    description = "Flame-retardant holder for 20 cells."
    status = "draft"

    @factory.post_generation
    def processes(self, create, extracted, **kwargs):
        if create:
            self.processes.set(extracted if extracted is not None else ["INJ_MOULD"])


# --- Matches, introductions, partnerships -----------------------------------------------------


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matchmaking.Match"

    requirement = factory.SubFactory(RequirementFactory, status="open")
    supplier = factory.SubFactory(SupplierFactory)
    score = 0.8
    rank = 1
    engine_version = "test"


class IntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "introductions.Introduction"

    requirement = factory.SubFactory(RequirementFactory, status="open")
    supplier = factory.SubFactory(SupplierFactory)
    direction = "buyer_request"
    status = "requested"
    requested_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.requested_at + timedelta(days=14))


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "introductions.Partnership"

    introduction = factory.SubFactory(IntroductionFactory, status="accepted")
    stage = "in_discussion"


class SupplierSizeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "introductions.SupplierSizeRecord"

    supplier = factory.SubFactory(SupplierFactory)
    size_class = factory.LazyFunction(lambda: SizeClass.objects.order_by("rank").first())
    valid_from = factory.LazyFunction(date.today)


# --- Partners ---------------------------------------------------------------------------------


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerOrganisation"

    name = factory.Sequence(lambda n: f"Bank Mitra {n}")
    kind = "bank"


class PartnerUserFactory(UserFactory):
    role = User.Role.PARTNER


class PartnerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerMember"

    user = factory.SubFactory(PartnerUserFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)


# --- Quotations -------------------------------------------------------------------------------


class QuotationFactory(factory.django.DjangoModelFactory):
    """A quotation on an accepted introduction; its revisions come from QuotationRevisionFactory."""

    class Meta:
        model = "introductions.Quotation"

    introduction = factory.SubFactory(IntroductionFactory, status="accepted")
    requirement = factory.LazyAttribute(lambda o: o.introduction.requirement)
    supplier = factory.LazyAttribute(lambda o: o.introduction.supplier)
    status = "submitted"


class QuotationRevisionFactory(factory.django.DjangoModelFactory):
    """A revision with its minimum-order tier (pass ``tiers=[(qty, price), ...]`` for more)."""

    class Meta:
        model = "introductions.QuotationRevision"
        skip_postgeneration_save = True

    quotation = factory.SubFactory(QuotationFactory)
    number = factory.Sequence(lambda n: n + 1)
    unit_price_idr = 5_000
    minimum_order = 1_000
    lead_time_days = 30
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=60))
    notes = ""

    @factory.post_generation
    def tiers(self, create, extracted, **kwargs):
        if not create:
            return
        from introductions.models import QuotationTier

        rows = [(self.minimum_order, self.unit_price_idr), *(extracted or [])]
        for quantity, price in rows:
            QuotationTier.objects.create(revision=self, min_quantity=quantity, unit_price_idr=price)
