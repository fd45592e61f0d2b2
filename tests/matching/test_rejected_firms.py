"""Issue 11.4: a firm whose verification the ministry rejected is offered to no buyer (a hard
rule of the engine, like an expired must-have certificate) and listed in no supplier list of the
web or the partner API; a decision rescores it; a firm not yet verified stays offered, with its
label."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaking import selectors, services
from matchmaking.explain import explain
from matchmaking.models import Match
from partners.models import PartnerManagedSupplier, PartnerOrganisation
from suppliers.signals import supplier_changed
from suppliers.verification import verification_decide, verification_review_request
from tests.api.conftest import key_client, key_for, session_client
from tests.factories import BuyerUserFactory, MinistryUserFactory, SupplierMemberFactory
from tests.matching.helpers import engine_result, make_requirement, make_supplier, reference_result

pytestmark = pytest.mark.django_db


def test_the_engine_excludes_a_rejected_supplier_on_every_path():
    requirement = make_requirement()
    supplier = make_supplier(verification="rejected")

    engine = engine_result(requirement, supplier)

    assert engine["excluded"] and engine["pair_excluded"]
    assert reference_result(requirement, supplier).excluded


def test_a_supplier_not_yet_verified_is_offered_with_its_label():
    requirement = make_requirement()
    make_supplier(verification="unverified")

    services.rescore_everything()

    match = Match.objects.get(requirement=requirement)
    with translation.override("en"):
        assert "not yet verified" in explain(match)


def test_a_rejection_rescores_and_removes_every_match_of_the_firm(settings):
    requirement = make_requirement()
    supplier = make_supplier(verification="unverified")
    other = make_supplier(verification="verified")
    services.rescore_everything()
    assert Match.objects.filter(supplier=supplier).exists()
    announced = []

    def receiver(*, supplier_id, **kwargs):
        announced.append(supplier_id)

    supplier_changed.connect(receiver, dispatch_uid="test-rejection")
    try:
        verification_decide(
            firm=supplier, by=MinistryUserFactory(), decision="rejected", reason="Fake NIB"
        )
    finally:
        supplier_changed.disconnect(dispatch_uid="test-rejection")
    assert announced == [supplier.pk]

    services.score_supplier(supplier.pk)

    assert not Match.objects.filter(supplier=supplier).exists()
    assert list(
        Match.objects.filter(requirement=requirement).values_list("supplier_id", flat=True)
    ) == [other.pk]
    services.rescore_everything()
    assert not Match.objects.filter(supplier=supplier).exists()


def test_a_rejected_firm_has_no_near_misses():
    make_requirement(required=["ISO9001"])
    supplier = make_supplier(verification="rejected")
    assert selectors.readiness_for_supplier(supplier) == []


def test_the_directory_leaves_a_rejected_firm_out_except_for_the_ministry(client):
    shown = make_supplier(legal_name="CV Belum Diperiksa", verification="unverified")
    hidden = make_supplier(legal_name="CV Ditolak", verification="rejected")
    client.force_login(BuyerUserFactory())
    page = client.get(reverse("suppliers:list")).content.decode()
    assert shown.legal_name in page and hidden.legal_name not in page

    client.force_login(MinistryUserFactory())
    assert hidden.legal_name in client.get(reverse("suppliers:list")).content.decode()


def test_the_partner_api_lists_a_rejected_firm_only_to_who_must_see_it():
    rejected = make_supplier(verification="rejected")
    unverified = make_supplier(verification="unverified")
    bank = PartnerOrganisation.objects.create(name="Bank", kind="bank")
    association = PartnerOrganisation.objects.create(name="Asosiasi", kind="association")
    PartnerManagedSupplier.objects.create(partner=association, supplier=rejected)
    member = SupplierMemberFactory(supplier=rejected).user

    def ids(client) -> set[int]:
        return {s["id"] for s in client.get("/api/v1/suppliers/").json()["results"]}

    bank_api = key_client(key_for(bank, "suppliers:read"))
    assert ids(bank_api) == {unverified.pk}
    assert bank_api.get(f"/api/v1/suppliers/{rejected.pk}/").status_code == 404
    assert ids(session_client(BuyerUserFactory())) == {unverified.pk}
    assert ids(key_client(key_for(association, "suppliers:read"))) == {rejected.pk, unverified.pk}
    assert ids(session_client(member)) == {rejected.pk, unverified.pk}
    assert ids(session_client(MinistryUserFactory())) == {rejected.pk, unverified.pk}


def test_the_rejected_firm_is_told_why_and_how_to_get_back_in(client):
    member = SupplierMemberFactory(supplier__verification_status="unverified")
    supplier = member.supplier
    verification_decide(
        firm=supplier, by=MinistryUserFactory(), decision="rejected", reason="NIB unknown"
    )
    client.force_login(member.user)

    for url in (reverse("suppliers:dashboard"), reverse("suppliers:detail", args=[supplier.pk])):
        page = client.get(url).content.decode()
        assert "NIB unknown" in page
        assert 'data-testid="request-review"' in page

    verification_review_request(firm=supplier, by=member.user)
    page = client.get(reverse("suppliers:dashboard")).content.decode()
    assert 'data-testid="review-requested"' in page
    assert 'data-testid="request-review"' not in page
