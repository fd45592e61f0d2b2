import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import (
    AdminUserFactory,
    BuyerUserFactory,
    MinistryUserFactory,
    SupplierFactory,
    SupplierMemberFactory,
    UmkmUserFactory,
)


@pytest.fixture(scope="session", autouse=True)
def _reference_data_present(django_db_setup, django_db_blocker):
    # A reused test database may have been flushed by an earlier run's transactional tests.
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    with django_db_blocker.unblock():
        if not Province.objects.exists():
            load_reference_data(apps)


@pytest.fixture
def supplier(db):
    return SupplierFactory()


@pytest.fixture
def owner(supplier):
    return SupplierMemberFactory(supplier=supplier, user__full_name="Sari Pemilik").user


@pytest.fixture
def staff_member(supplier):
    return SupplierMemberFactory(supplier=supplier, role="staff")


@pytest.fixture
def staff(staff_member):
    return staff_member.user


@pytest.fixture
def other_umkm(db):
    """An owner of a different company."""
    return SupplierMemberFactory().user


@pytest.fixture
def buyer(db):
    return BuyerUserFactory()


@pytest.fixture
def ministry(db):
    return MinistryUserFactory()


@pytest.fixture
def admin_user(db):
    return AdminUserFactory()


@pytest.fixture
def newcomer(db):
    """An UMKM account with no company yet."""
    return UmkmUserFactory(email="rekan@bengkel.example.id", preferred_language="id")


@pytest.fixture(autouse=True)
def _english():
    # Assertions compare the English source strings.
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
