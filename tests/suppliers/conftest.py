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


@pytest.fixture
def supplier(db):
    return SupplierFactory()


@pytest.fixture
def owner(supplier):
    return SupplierMemberFactory(supplier=supplier).user


@pytest.fixture
def other_umkm(db):
    """An UMKM member of a different company."""
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
def new_umkm(db):
    """An UMKM user who has not registered a company yet."""
    return UmkmUserFactory()


@pytest.fixture(autouse=True)
def _english():
    # Assertions compare our English source strings; the Indonesian catalogue would change them.
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Dozens of users per test module: a slow password hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
