import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from suppliers.demo import ADMIN_EMAIL, DEMO_PASSWORD, MINISTRY_EMAIL, UMKM_EMAIL
from suppliers.models import Supplier, SupplierCertification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The demo log-ins are hashed at every seed; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_at_least_200_umkm_across_many_provinces():
    output = seed()

    suppliers = Supplier.objects.all()
    assert suppliers.count() >= 200
    assert suppliers.values("province").distinct().count() >= 10
    nibs = list(suppliers.values_list("nib", flat=True))
    assert len(set(nibs)) == len(nibs)
    assert all(re.fullmatch(r"\d{13}", nib) for nib in nibs)
    # Weighted toward the industrial provinces, mostly micro and small companies.
    top = suppliers.filter(province__in=["31", "32", "33", "35", "36"]).count()
    assert top > suppliers.count() / 2
    assert suppliers.filter(size_class__in=["mikro", "kecil"]).count() > suppliers.count() * 0.7
    assert SupplierCertification.objects.filter(valid_until__lt=timezone.localdate()).exists()
    assert SupplierCertification.objects.filter(valid_until__gt=timezone.localdate()).exists()
    assert suppliers.filter(verification_status="verified").count() > suppliers.count() / 2
    assert f"Demo UMKM created: {suppliers.count()}" in output
    for email in (UMKM_EMAIL, MINISTRY_EMAIL, ADMIN_EMAIL):
        assert email in output
    assert DEMO_PASSWORD in output


def test_capabilities_fit_together():
    seed("--suppliers", "200")

    harness_makers = Supplier.objects.filter(processes="HARNESS").distinct()
    assert harness_makers.exists()
    for supplier in harness_makers:
        assert supplier.processes.filter(code="ELEC_TEST").exists()
        assert supplier.components.filter(code__in=["ELE.HARN", "BAT.BMS.HARN"]).exists()
        assert supplier.materials.filter(code="COPPER").exists()
    stampers = Supplier.objects.filter(processes="STAMP", materials="STEEL").distinct()
    assert stampers.exists()
    assert stampers.filter(components__in=["BODY.BRKT", "BAT.PACK.BRKT"]).exists()
    for supplier in Supplier.objects.all():
        assert supplier.processes.exists() and supplier.components.exists()
        assert supplier.regency.province_id == supplier.province_id


def test_it_is_deterministic_and_a_second_run_changes_nothing():
    seed("--suppliers", "200")
    first = {s.nib: (s.legal_name, s.updated_at) for s in Supplier.objects.all()}

    output = seed("--suppliers", "200")

    assert "Demo UMKM created: 0" in output
    assert {s.nib: (s.legal_name, s.updated_at) for s in Supplier.objects.all()} == first


def test_if_empty_leaves_existing_data_alone_but_prints_the_log_ins():
    seed("--suppliers", "20")

    output = seed("--if-empty")

    assert Supplier.objects.count() == 20
    assert "Demo UMKM created" not in output
    assert UMKM_EMAIL in output and DEMO_PASSWORD in output


def test_demo_log_ins_work_at_once(client):
    seed("--suppliers", "5")

    for email, role in ((UMKM_EMAIL, "umkm"), (MINISTRY_EMAIL, "ministry"), (ADMIN_EMAIL, "admin")):
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}
        )

        assert response.status_code == 302, email
        user = User.objects.get(email=email)
        assert client.session["_auth_user_id"] == str(user.pk)
        assert user.role == role
        assert EmailAddress.objects.get(user=user, primary=True).verified
        client.logout()


def test_the_demo_umkm_owner_has_a_company():
    seed("--suppliers", "5")

    owner = User.objects.get(email=UMKM_EMAIL)
    company = Supplier.objects.for_user(owner).get()
    assert company.processes.filter(code="HARNESS").exists()
    assert company.verification_status == "verified"
    assert User.objects.get(email=ADMIN_EMAIL).is_superuser


def test_the_demo_has_introductions_and_partnerships_at_every_stage():
    from introductions.models import Introduction, Partnership, SupplierSizeRecord

    output = seed()

    statuses = set(Introduction.objects.values_list("status", flat=True))
    assert statuses == {"requested", "accepted", "declined", "expired"}
    assert set(Partnership.objects.values_list("stage", flat=True)) >= {
        "in_discussion",
        "contract",
    }
    assert Partnership.objects.filter(contract_value_idr__gt=0).exists()
    # Spread over past months, not all made today.
    months = {i.requested_at.strftime("%Y-%m") for i in Introduction.objects.all()}
    assert len(months) >= 4
    # The demo UMKM owner finds a request waiting for an answer.
    waiting = Introduction.objects.filter(
        supplier__members__user__email=UMKM_EMAIL, status="requested"
    )
    assert waiting.exists()
    assert SupplierSizeRecord.objects.values("supplier").distinct().count() >= 2
    count = Introduction.objects.count()
    assert f"Demo introductions requested: {count}" in output

    again = seed()

    assert Introduction.objects.count() == count
    assert "Demo introductions requested" not in again
