import re

import pytest

from accounts.services import email_address_mark_verified
from tests.factories import UserFactory

PASSWORD = "rantai-test-pass-123"
LINK = re.compile(r"https?://testserver(/\S+)")


def link_in(message) -> str:
    """The path of the first link to the test server in an e-mail."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def verified_user(db):
    user = UserFactory(email="siti@umkm.example.id", role="umkm")
    email_address_mark_verified(user=user)
    return user


def signup_data(**overrides) -> dict:
    data = {
        "email": "budi@umkm.example.id",
        "full_name": "Budi Santoso",
        "role": "umkm",
        "password1": "Tembaga-Kuat-2026",
        "password2": "Tembaga-Kuat-2026",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data
