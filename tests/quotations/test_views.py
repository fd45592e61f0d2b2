"""The quotation pages: who may open each (the permission matrix), sealed prices, the submit
form's errors, the comparison's sorting and the award from the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from introductions.models import Partnership, Quotation
from introductions.quotations import quotation_submit
from manufacturers.models import Requirement
from tests.factories import (
    TINY_PDF,
    AdminUserFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
)

from .conftest import offer

pytestmark = pytest.mark.django_db


def get_as(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def assert_login_redirect(response):
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def quoted(round_):
    """Both UMKM quoted; the first one's quotation has a file."""
    pdf = SimpleUploadedFile("price-list.pdf", TINY_PDF, content_type="application/pdf")
    first = quotation_submit(
        introduction=round_.first, by=round_.pair.umkm, offer=offer(), uploads=[pdf]
    )
    second = quotation_submit(
        introduction=round_.second,
        by=round_.second_user,
        offer=offer(unit_price_idr=4_800, tiers=[], lead_time_days=200),
    )
    return first, second


def users(round_) -> dict:
    pair = round_.pair
    return {
        "anonymous": None,
        "buyer": pair.buyer,
        "buyer_colleague": ManufacturerMemberFactory(
            manufacturer=pair.requirement.manufacturer, role="staff"
        ).user,
        "umkm": pair.umkm,
        "umkm_colleague": SupplierMemberFactory(supplier=pair.supplier, role="staff").user,
        # Quotes on the same requirement: sees its own quotation, never the first one.
        "competing_umkm": round_.second_user,
        "other_buyer": ManufacturerMemberFactory().user,
        "other_umkm": SupplierMemberFactory().user,
        "ministry": MinistryUserFactory(),
        "admin": AdminUserFactory(),
    }


BUYER = {"buyer", "buyer_colleague"}
UMKM = {"umkm", "umkm_colleague"}


def check(client, everyone, url, allowed, *, ok=200, method="get", data=None):
    for name, user in everyone.items():
        response = get_as(client, user, url, method, data)
        if user is None:
            assert_login_redirect(response)
        else:
            assert response.status_code == (ok if name in allowed else 404), name


# --- the permission matrix: each role x each view ----------------------------------------------


def test_submit_page_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation_submit", args=[round_.first.pk])
    check(client, users(round_), url, UMKM)


def test_quotation_page_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation", args=[quoted[0].pk])
    check(client, users(round_), url, UMKM | BUYER)


def test_quotation_file_permission_matrix(client, round_, quoted):
    stored = quoted[0].revisions.get().files.get()
    url = reverse("introductions:quotation_file", args=[quoted[0].pk, stored.pk])
    check(client, users(round_), url, UMKM | BUYER)
    assert AuditRecord.objects.filter(object_kind="quotation_file", object_id=stored.pk).exists()


def test_compare_page_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation_compare", args=[round_.requirement.pk])
    check(client, users(round_), url, BUYER)


def test_shortlist_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation_shortlist", args=[quoted[0].pk])
    check(client, users(round_), url, BUYER, ok=302, method="post")
    quoted[0].refresh_from_db()
    assert quoted[0].status == Quotation.Status.SHORTLISTED


def test_withdraw_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation_withdraw", args=[quoted[0].pk])
    everyone = users(round_)
    del everyone["umkm"]  # the colleague withdraws; then the owner's try is a refusal, not a 404
    check(
        client, everyone, url, {"umkm_colleague"}, ok=302, method="post", data={"confirmed": "yes"}
    )
    quoted[0].refresh_from_db()
    assert quoted[0].status == Quotation.Status.WITHDRAWN


def test_award_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation_award", args=[round_.requirement.pk])
    data = {f"quantity_{quoted[0].pk}": "5000"}
    everyone = users(round_)
    del everyone["buyer_colleague"]
    check(client, everyone, url, {"buyer"}, ok=302, method="post", data=data)
    assert Partnership.objects.get().contract_value_idr == 5_000 * 5_000


def test_close_round_permission_matrix(client, round_, quoted):
    url = reverse("introductions:quotation_round_close", args=[round_.requirement.pk])
    everyone = users(round_)
    del everyone["buyer_colleague"]
    check(client, everyone, url, {"buyer"}, ok=302, method="post", data={"confirmed": "yes"})
    assert Quotation.objects.filter(status="not_awarded").count() == 2


def test_close_round_asks_first(client, round_, quoted):
    url = reverse("introductions:quotation_round_close", args=[round_.requirement.pk])
    response = get_as(client, round_.buyer, url, "post")
    assert response.status_code == 200 and "Close the round" in response.content.decode()
    assert not Quotation.objects.filter(status="not_awarded").exists()


# --- what the pages show ----------------------------------------------------------------------


def test_sealed_quotations_show_who_quoted_but_not_prices_or_files(client, round_, quoted):
    Requirement.objects.filter(pk=round_.requirement.pk).update(
        quote_deadline=timezone.now() + timedelta(days=2)
    )
    compare = get_as(
        client,
        round_.buyer,
        reverse("introductions:quotation_compare", args=[round_.requirement.pk]),
    ).content.decode()
    assert round_.pair.supplier.legal_name in compare and "CV Kedua Jaya" in compare
    assert 'data-testid="sealed-note"' in compare
    assert "5,000" not in compare and "annual-total" not in compare
    assert 'data-testid="award-form"' not in compare
    detail = get_as(client, round_.buyer, reverse("introductions:quotation", args=[quoted[0].pk]))
    assert "price-list.pdf" not in detail.content.decode()
    stored = quoted[0].revisions.get().files.get()
    file_url = reverse("introductions:quotation_file", args=[quoted[0].pk, stored.pk])
    assert get_as(client, round_.buyer, file_url).status_code == 404
    assert get_as(client, round_.pair.umkm, file_url).status_code == 200  # its own file


def test_the_comparison_shows_totals_and_sorts(client, round_, quoted):
    url = reverse("introductions:quotation_compare", args=[round_.requirement.pk])
    by_total = get_as(client, round_.buyer, url).content.decode()
    # 50,000 units: the first reaches 4,000 (200,000,000), the second stays at 4,800.
    assert "IDR 200,000,000" in by_total and "IDR 240,000,000" in by_total
    assert by_total.index(round_.pair.supplier.legal_name) < by_total.index("CV Kedua Jaya")
    assert "days late for the needed-by date" in by_total  # 200 days for a 90-day need
    by_score = get_as(client, round_.buyer, url + "?sort=score").content.decode()
    assert by_score.index(round_.pair.supplier.legal_name) < by_score.index("CV Kedua Jaya")
    by_lead = get_as(client, round_.buyer, url + "?sort=lead_time").content.decode()
    assert by_lead.index(round_.pair.supplier.legal_name) < by_lead.index("CV Kedua Jaya")
    assert 'data-testid="explanation"' in by_total or "match-score" in by_total


def test_a_bad_award_comes_back_with_the_message_and_the_values(client, round_, quoted):
    url = reverse("introductions:quotation_award", args=[round_.requirement.pk])
    data = {f"quantity_{quoted[0].pk}": "40000", f"quantity_{quoted[1].pk}": "20000"}
    response = get_as(client, round_.buyer, url, "post", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "add up to more than the annual volume" in page
    assert 'value="40000"' in page and 'value="20000"' in page
    assert not Partnership.objects.exists()


def test_the_submit_form_keeps_what_was_typed_and_says_what_is_wrong(client, round_):
    round_.pair.umkm.preferred_language = "en"
    round_.pair.umkm.save(update_fields=["preferred_language"])
    url = reverse("introductions:quotation_submit", args=[round_.first.pk])
    data = {
        "unit_price_idr": "5000",
        "minimum_order": "1000",
        "lead_time_days": "30",
        "valid_until": (date.today() - timedelta(days=3)).isoformat(),
        "tier_quantity_1": "5000",
        "tier_price_1": "5500",
        "tier_quantity_2": "9000",
        "notes": "Harga termasuk ongkos kirim.",
    }
    response = get_as(client, round_.pair.umkm, url, "post", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The offer must be valid today or later." in page
    assert "Give both the quantity and its unit price" in page
    assert "Harga termasuk ongkos kirim." in page and 'value="5500"' in page
    assert not Quotation.objects.exists()

    data.update(valid_until=(date.today() + timedelta(days=30)).isoformat(), tier_price_1="4500")
    data.update(tier_quantity_2="", notes="")
    response = get_as(client, round_.pair.umkm, url, "post", data)
    quotation = Quotation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/quotations/{quotation.pk}/"
    )
    tiers = [(t.min_quantity, t.unit_price_idr) for t in quotation.revisions.get().tiers.all()]
    assert tiers == [(1000, 5000), (5000, 4500)]


def test_the_introduction_and_requirement_pages_link_to_quotations(client, round_, quoted):
    intro_url = reverse("introductions:detail", args=[round_.first.pk])
    umkm_page = get_as(client, round_.pair.umkm, intro_url).content.decode()
    assert (
        'data-testid="submit-quotation"' in umkm_page
        and 'data-testid="quotation-link"' in umkm_page
    )
    buyer_page = get_as(client, round_.buyer, intro_url).content.decode()
    assert 'data-testid="compare-link"' in buyer_page
    requirement_url = reverse("manufacturers:requirement_detail", args=[round_.requirement.pk])
    requirement_page = get_as(client, round_.buyer, requirement_url).content.decode()
    assert "Compare quotations (2)" in requirement_page


def test_a_quotation_whose_interest_was_declined_is_out_of_the_award(client, pair):
    from introductions import services as intro

    Requirement.objects.filter(pk=pair.requirement.pk).update(quotes_open=True)
    interest = intro.introduction_express_interest(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
    )
    quotation_submit(introduction=interest, by=pair.umkm, offer=offer())
    url = reverse("introductions:quotation_compare", args=[pair.requirement.pk])
    assert 'data-testid="award-row"' in get_as(client, pair.buyer, url).content.decode()

    intro.introduction_decline(introduction=interest, by=pair.buyer)

    page = get_as(client, pair.buyer, url).content.decode()
    assert 'data-testid="quotation-card"' in page and 'data-testid="award-row"' not in page
