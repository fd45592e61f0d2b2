"""Issue 12.2: a buyer that is not (or no longer) verified gets no UMKM contacts. Its open
requirements stay open but are listed nowhere on the UMKM and partner side (browse, matches,
readiness, digests, the API), no interest can be expressed in them, and no introduction is
accepted in either direction until the ministry verifies it again; drafts and its own pages
still work."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from introductions import services
from introductions.digests import new_matches_for
from introductions.models import Introduction
from manufacturers import services as manufacturer_services
from partners.models import PartnerOrganisation
from suppliers.verification import verification_decide
from tests.api.conftest import key_client, key_for, session_client
from tests.factories import MinistryUserFactory
from tests.introductions.factories import make_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_pair(umkm_language="en")


def _rename(pair) -> None:
    manufacturer = pair.requirement.manufacturer
    manufacturer_services.manufacturer_update(
        manufacturer=manufacturer, data={"name": f"{manufacturer.name} Baru"}
    )
    manufacturer.refresh_from_db()
    assert manufacturer.verification_status == "unverified"
    pair.requirement.refresh_from_db()


def test_the_reported_path_renamed_buyer_interest_accept_shows_no_contacts(client, pair):
    _rename(pair)
    client.force_login(pair.umkm)

    browse = client.get(reverse("manufacturers:browse")).content.decode()
    assert pair.requirement.title not in browse
    detail = client.get(reverse("manufacturers:browse_detail", args=[pair.requirement.pk]))
    assert detail.status_code == 404
    interest = client.post(
        reverse("introductions:interest", args=[pair.requirement.pk]), {"message": "Kami bisa."}
    )
    assert interest.status_code == 404
    assert not Introduction.objects.exists()


def test_interest_is_refused_by_the_service(pair):
    _rename(pair)
    with pytest.raises(ValidationError) as refused:
        services.introduction_express_interest(
            requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
        )
    assert refused.value.code == "buyer_unverified"


def test_a_buyer_that_lost_its_verification_cannot_accept_an_interest(client, pair):
    interest = services.introduction_express_interest(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
    )
    _rename(pair)
    client.force_login(pair.buyer)

    response = client.post(reverse("introductions:accept", args=[interest.pk]), follow=True)

    interest.refresh_from_db()
    assert interest.status == "requested"
    page = response.content.decode()
    assert 'data-testid="contacts"' not in page
    assert pair.supplier.contact_email not in page
    assert "not verified by the ministry at the moment" in page


def test_an_umkm_cannot_accept_the_request_of_a_buyer_that_lost_its_verification(pair):
    request = services.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    _rename(pair)

    with pytest.raises(ValidationError) as refused:
        services.introduction_accept(introduction=request, by=pair.umkm)

    assert refused.value.code == "buyer_unverified"
    request.refresh_from_db()
    assert request.status == "requested"


def test_once_verified_again_the_same_introduction_can_be_accepted(pair):
    interest = services.introduction_express_interest(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
    )
    _rename(pair)
    verification_decide(
        firm=pair.requirement.manufacturer, by=MinistryUserFactory(), decision="approved"
    )
    pair.requirement.refresh_from_db()

    services.introduction_accept(introduction=interest, by=pair.buyer)

    interest.refresh_from_db()
    assert interest.status == "accepted"


def test_the_umkm_lists_of_matches_and_digests_leave_the_requirement_out(client, pair):
    client.force_login(pair.umkm)
    assert pair.requirement.title in client.get(reverse("matchmaking:my_matches")).content.decode()
    _rename(pair)

    assert (
        pair.requirement.title not in client.get(reverse("matchmaking:my_matches")).content.decode()
    )
    since = pair.requirement.created_at.replace(year=2000)
    assert not new_matches_for(pair.umkm, since).exists()


def test_the_api_lists_leave_the_requirement_and_its_matches_out(pair):
    bank = PartnerOrganisation.objects.create(name="Bank", kind="bank")
    partner = key_client(key_for(bank, "requirements:read", "matches:read"))
    umkm = session_client(pair.umkm)

    def listed():
        return (
            {r["id"] for r in partner.get("/api/v1/requirements/").json()["results"]},
            {r["id"] for r in umkm.get("/api/v1/requirements/").json()["results"]},
            {m["id"] for m in partner.get("/api/v1/matches/").json()["results"]},
            {m["id"] for m in umkm.get("/api/v1/matches/").json()["results"]},
        )

    requirement, match = pair.requirement.pk, pair.match.pk
    assert listed() == ({requirement}, {requirement}, {match}, {match})
    _rename(pair)
    assert listed() == (set(), set(), set(), set())
    assert partner.get(f"/api/v1/requirements/{requirement}/").status_code == 404
    # The buyer still sees its own requirement.
    own = session_client(pair.buyer).get("/api/v1/requirements/").json()["results"]
    assert requirement in {r["id"] for r in own}


def test_the_buyer_is_told_its_open_requirement_is_hidden(client, pair):
    _rename(pair)
    client.force_login(pair.buyer)
    page = client.get(reverse("manufacturers:requirement_detail", args=[pair.requirement.pk]))
    assert 'data-testid="not-listed"' in page.content.decode()
