import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.services import staff_user_create

pytestmark = pytest.mark.django_db


def test_staff_user_is_created_with_a_verified_address():
    user = staff_user_create(
        email="Dewi@Kemenkop.go.id", role="ministry", full_name="Dewi", password="Pengawas-2026!"
    )

    assert user.email == "dewi@kemenkop.go.id"
    assert user.is_ministry
    assert not user.is_staff
    assert EmailAddress.objects.get(user=user).verified


def test_an_administrator_account_can_use_the_admin():
    user = staff_user_create(email="ops@rantai.id", role="admin", password="Pengawas-2026!")

    assert user.is_staff
    assert user.is_superuser


def test_staff_user_create_refuses_umkm_and_buyer_roles():
    with pytest.raises(ValidationError):
        staff_user_create(email="x@example.id", role="umkm", password="Pengawas-2026!")
    assert not User.objects.exists()


def test_staff_user_create_refuses_a_weak_password():
    with pytest.raises(ValidationError):
        staff_user_create(email="x@example.id", role="ministry", password="12345678")
    assert not User.objects.exists()


def test_command_creates_an_account_without_a_password(capsys):
    call_command("create_staff_user", "mitra@bank.example.id", "--role", "partner", "--no-password")

    user = User.objects.get(email="mitra@bank.example.id")
    assert user.role == User.Role.PARTNER
    assert not user.has_usable_password()


def test_command_refuses_a_duplicate_address():
    staff_user_create(email="dewi@kemenkop.go.id", role="ministry", password="Pengawas-2026!")

    with pytest.raises(CommandError):
        call_command(
            "create_staff_user", "dewi@kemenkop.go.id", "--role", "ministry", "--no-password"
        )
