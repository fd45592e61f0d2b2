"""The weekly digest can be switched off and on again from the account settings."""

import re

import pytest
from django.urls import reverse

from accounts.notifications import EmailPreference
from tests.factories import BuyerUserFactory, MinistryUserFactory, UmkmUserFactory

pytestmark = pytest.mark.django_db


def _save(client, user, **extra):
    client.force_login(user)
    data = {"full_name": user.full_name or "Nama", "preferred_language": "id", **extra}
    return client.post(reverse("account_profile"), data)


def test_it_turns_the_digest_off_when_the_box_is_unticked(client):
    user = UmkmUserFactory()

    response = _save(client, user)

    assert response.status_code == 302
    assert EmailPreference.objects.get(user=user).weekly_digest is False


def test_it_turns_the_digest_back_on(client):
    user = BuyerUserFactory()
    EmailPreference.objects.create(user=user, weekly_digest=False)

    _save(client, user, weekly_digest="on")

    assert EmailPreference.objects.get(user=user).weekly_digest is True


def _digest_box(client) -> str:
    html = client.get(reverse("account_profile")).content.decode()
    return re.search(r'<input[^>]*name="weekly_digest"[^>]*>', html).group(0)


@pytest.mark.parametrize("subscribed", [True, False])
def test_the_box_shows_the_current_choice(client, subscribed):
    user = UmkmUserFactory()
    EmailPreference.objects.create(user=user, weekly_digest=subscribed)
    client.force_login(user)

    assert (" checked" in _digest_box(client)) is subscribed


def test_the_box_is_ticked_for_a_user_who_never_chose(client):
    client.force_login(BuyerUserFactory())

    assert " checked" in _digest_box(client)


def test_staff_without_digests_are_not_offered_the_box(client):
    user = MinistryUserFactory()
    client.force_login(user)

    html = client.get(reverse("account_profile")).content.decode()

    assert 'name="weekly_digest"' not in html
    assert not EmailPreference.objects.filter(user=user).exists()
