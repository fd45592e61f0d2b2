"""Issue 14.3: withdrawing an introduction request asks first; without confirmation nothing
changes and the UMKM is told nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import OutboxEmail
from introductions import services as intro
from introductions.models import Introduction

pytestmark = pytest.mark.django_db


def test_a_request_is_withdrawn_only_when_confirmed(client, pair):
    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer, message="Halo"
    )
    emails = OutboxEmail.objects.count()
    client.force_login(pair.buyer)
    url = reverse("introductions:withdraw", args=[requested.pk])

    asked = client.post(url)

    assert asked.status_code == 200
    assert 'data-testid="confirm-page"' in asked.content.decode()
    requested.refresh_from_db()
    assert requested.status == Introduction.Status.REQUESTED
    assert OutboxEmail.objects.count() == emails

    client.post(url, {"confirmed": "yes"})
    requested.refresh_from_db()
    assert requested.status == Introduction.Status.WITHDRAWN


def test_a_stranger_gets_no_confirmation_page(client, pair):
    from tests.factories import ManufacturerMemberFactory

    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer, message="Halo"
    )
    client.force_login(ManufacturerMemberFactory().user)
    assert client.post(reverse("introductions:withdraw", args=[requested.pk])).status_code == 404
