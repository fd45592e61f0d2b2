import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import (
    AdminUserFactory,
    BuyerUserFactory,
    ManufacturerFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    RequirementFactory,
    SupplierMemberFactory,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Factories hash a password for every user; the production hasher takes ~0.5 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manufacturer(db):
    return ManufacturerFactory()


@pytest.fixture
def owner(manufacturer):
    """Buyer A, owner of ``manufacturer``."""
    return ManufacturerMemberFactory(manufacturer=manufacturer, role="owner").user


@pytest.fixture
def staff(manufacturer):
    """Buyer A, staff member of ``manufacturer``."""
    return ManufacturerMemberFactory(manufacturer=manufacturer, role="staff").user


@pytest.fixture
def other_buyer(db):
    """Buyer B, owner of a different manufacturer."""
    return ManufacturerMemberFactory().user


@pytest.fixture
def umkm(db):
    return SupplierMemberFactory().user


@pytest.fixture
def ministry(db):
    return MinistryUserFactory()


@pytest.fixture
def admin_user(db):
    return AdminUserFactory()


@pytest.fixture
def new_buyer(db):
    """A buyer who has signed up but not registered a manufacturer yet."""
    return BuyerUserFactory()


@pytest.fixture
def requirement(manufacturer, owner):
    return RequirementFactory(manufacturer=manufacturer, created_by=owner)


@pytest.fixture(autouse=True)
def _english():
    # Assertions compare our English source strings; the Indonesian catalogue would change them.
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
