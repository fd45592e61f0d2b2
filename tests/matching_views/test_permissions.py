"""Who may open which match screen, with which method.

A requirement's matches belong to its buyer (and administrators); everyone else gets a 404 so
that the requirement's existence is not revealed. UMKM pages belong to the company's members;
ministry staff and administrators may look at any company's matches and readiness.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.models import MatchDecision

pytestmark = pytest.mark.django_db

ROLES = ("buyer", "other_buyer", "umkm", "other_umkm", "ministry", "admin", "anonymous")


def _urls(market) -> dict[str, str]:
    requirement, bandung = market.requirement, market.suppliers["bandung"]
    pair = [bandung.pk, market.suppliers["medan"].pk]
    query = "?" + "&".join(f"supplier={pk}" for pk in pair)
    return {
        "overview": reverse("matchmaking:buyer_overview"),
        "list": reverse("matchmaking:requirement_matches", args=[requirement.pk]),
        "decide": reverse("matchmaking:decide", args=[requirement.pk, bandung.pk]),
        "compare": reverse("matchmaking:compare", args=[requirement.pk]) + query,
        "my_matches": reverse("matchmaking:my_matches"),
        "my_readiness": reverse("matchmaking:my_readiness"),
        "supplier_matches": reverse("matchmaking:supplier_matches", args=[bandung.pk]),
        "supplier_readiness": reverse("matchmaking:supplier_readiness", args=[bandung.pk]),
        "readiness_overview": reverse("matchmaking:readiness_overview"),
    }


# (view, method) -> expected status per role, in ROLES order. 302 for anonymous: to the log-in.
MATRIX = {
    ("overview", "get"): (200, 200, 403, 403, 403, 200, 302),
    ("overview", "post"): (405, 405, 405, 405, 405, 405, 302),
    ("list", "get"): (200, 404, 404, 404, 404, 200, 302),
    ("list", "post"): (405, 405, 405, 405, 405, 405, 302),
    ("decide", "post"): (302, 404, 404, 404, 404, 302, 302),
    ("decide", "get"): (405, 405, 405, 405, 405, 405, 302),
    ("compare", "get"): (200, 404, 404, 404, 404, 200, 302),
    ("compare", "post"): (405, 405, 405, 405, 405, 405, 302),
    ("my_matches", "get"): (403, 403, 200, 200, 403, 403, 302),
    ("my_readiness", "get"): (403, 403, 200, 200, 403, 403, 302),
    ("my_matches", "post"): (405, 405, 405, 405, 405, 405, 302),
    ("supplier_matches", "get"): (404, 404, 200, 404, 200, 200, 302),
    ("supplier_readiness", "get"): (404, 404, 200, 404, 200, 200, 302),
    ("supplier_readiness", "post"): (405, 405, 405, 405, 405, 405, 302),
    ("readiness_overview", "get"): (403, 403, 403, 403, 200, 200, 302),
    ("readiness_overview", "post"): (405, 405, 405, 405, 405, 405, 302),
}

CASES = [
    pytest.param(view, method, role, expected[i], id=f"{view}-{method}-{role}")
    for (view, method), expected in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("view", "method", "role", "expected"), CASES)
def test_permission_matrix(market, login, view, method, role, expected):
    client = login(market.user(role))
    url = _urls(market)[view]
    data = {"status": "shortlisted"} if method == "post" else None
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    decided = MatchDecision.objects.exists()
    assert decided == (
        view == "decide" and method == "post" and expected == 302 and role != "anonymous"
    )


def test_another_buyer_cannot_decide_even_on_a_supplier_matched_to_their_own(market, login):
    """The other buyer's requirement matches the same suppliers; the ids do not cross over."""
    bandung = market.suppliers["bandung"]
    url = reverse("matchmaking:decide", args=[market.requirement.pk, bandung.pk])
    assert login(market.other_buyer).post(url, {"status": "dismissed"}).status_code == 404
    own = reverse("matchmaking:decide", args=[market.other_requirement.pk, bandung.pk])
    assert login(market.other_buyer).post(own, {"status": "dismissed"}).status_code == 302
    assert list(MatchDecision.objects.values_list("requirement_id", flat=True)) == [
        market.other_requirement.pk
    ]


def test_the_overview_never_lists_another_buyers_requirements(market, login):
    html = login(market.other_buyer).get(reverse("matchmaking:buyer_overview")).content.decode()
    assert market.other_requirement.title in html
    assert market.requirement.reference not in html
