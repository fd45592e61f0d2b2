import random
from io import StringIO

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from manufacturers.demo import BUYER_EMAIL, BUYER_PASSWORD, seed_manufacturers
from manufacturers.models import Manufacturer, Requirement

pytestmark = pytest.mark.django_db


def test_the_demo_seed_creates_buyers_and_requirements_once():
    out = StringIO()
    seed_manufacturers(rng=random.Random(7), stdout=out)

    assert Manufacturer.objects.count() >= 10
    assert Manufacturer.objects.verified().count() > Manufacturer.objects.count() / 2
    assert Requirement.objects.count() >= 60
    assert Requirement.objects.open().count() > Requirement.objects.count() / 2
    for requirement in Requirement.objects.open():
        assert requirement.manufacturer.is_verified
        assert requirement.processes.exists()
        requirement.full_clean()
    buyer = User.objects.get(email=BUYER_EMAIL)
    assert buyer.is_buyer and buyer.check_password(BUYER_PASSWORD)
    assert buyer.manufacturer_membership.role == "owner"
    assert EmailAddress.objects.filter(user=buyer, verified=True, primary=True).exists()
    assert BUYER_EMAIL in out.getvalue() and BUYER_PASSWORD in out.getvalue()

    counts = (Manufacturer.objects.count(), Requirement.objects.count())
    seed_manufacturers(rng=random.Random(7), stdout=StringIO())
    assert (Manufacturer.objects.count(), Requirement.objects.count()) == counts
