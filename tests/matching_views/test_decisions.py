"""The decision service behind shortlist / dismiss."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking.decisions import match_decide
from matchmaking.models import MatchDecision

pytestmark = pytest.mark.django_db


def test_deciding_twice_keeps_one_decision_with_the_latest_status(market):
    args = {"requirement": market.requirement, "supplier": market.suppliers["bandung"]}
    match_decide(**args, user=market.buyer, status="shortlisted")
    match_decide(**args, user=market.buyer, status="shortlisted")
    match_decide(**args, user=market.admin, status="dismissed")
    decision = MatchDecision.objects.get()
    assert (decision.status, decision.decided_by) == ("dismissed", market.admin)


def test_undo_deletes_and_undoing_nothing_is_harmless(market):
    args = {"requirement": market.requirement, "supplier": market.suppliers["bandung"]}
    match_decide(**args, user=market.buyer, status="dismissed")
    assert match_decide(**args, user=market.buyer, status=None) is None
    assert match_decide(**args, user=market.buyer, status=None) is None
    assert not MatchDecision.objects.exists()


@pytest.mark.parametrize("role", ["other_buyer", "umkm", "ministry"])
def test_only_the_requirements_own_buyer_decides(market, role):
    with pytest.raises(PermissionDenied):
        match_decide(
            requirement=market.requirement,
            supplier=market.suppliers["bandung"],
            user=market.user(role),
            status="shortlisted",
        )
    assert not MatchDecision.objects.exists()


def test_an_unknown_status_is_refused(market):
    with pytest.raises(ValidationError):
        match_decide(
            requirement=market.requirement,
            supplier=market.suppliers["bandung"],
            user=market.buyer,
            status="maybe",
        )
