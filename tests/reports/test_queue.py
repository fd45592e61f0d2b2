"""Issue 14.1: the verification queue guides: filters, search, paging, oldest wait first, one
firm's review on its own page, certificate validity, and a decision that brings the reviewer
back where they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.queue import PAGE_SIZE, QueueFilters, waiting_firms
from suppliers.models import Supplier, VerificationDecision, VerificationReview
from tests.factories import (
    AdminUserFactory,
    BuyerUserFactory,
    ManufacturerFactory,
    MinistryUserFactory,
    SupplierCertificationFactory,
    SupplierFactory,
    UmkmUserFactory,
)

pytestmark = pytest.mark.django_db


def _age(firm, days: int) -> None:
    type(firm).objects.filter(pk=firm.pk).update(created_at=timezone.now() - timedelta(days=days))


def _names(filters: QueueFilters | None = None) -> list[str]:
    return [row["row_name"] for row in waiting_firms(filters or QueueFilters())]


@pytest.fixture
def ministry(client):
    user = MinistryUserFactory(preferred_language="en")
    client.force_login(user)
    return user


# --- the selector -----------------------------------------------------------------------------


def test_the_queue_mixes_both_kinds_oldest_wait_first_and_skips_decided_firms():
    a = SupplierFactory(legal_name="CV Tiga Hari", verification_status="unverified")
    b = ManufacturerFactory(name="PT Sepuluh Hari", verification_status="unverified")
    c = SupplierFactory(legal_name="CV Satu Hari", verification_status="unverified")
    SupplierFactory(legal_name="CV Sudah", verification_status="verified")
    ManufacturerFactory(name="PT Ditolak", verification_status="rejected", verification_reason="x")
    _age(a, 3), _age(b, 10), _age(c, 1)

    assert _names() == ["PT Sepuluh Hari", "CV Tiga Hari", "CV Satu Hari"]


def test_a_firm_back_in_the_queue_waits_since_its_review_not_its_registration():
    old = SupplierFactory(legal_name="CV Lama Berubah", verification_status="verified")
    _age(old, 400)
    VerificationReview.objects.create(
        firm_kind="supplier",
        firm_id=old.pk,
        firm_name=old.legal_name,
        reason="changed",
        created_at=timezone.now() - timedelta(days=2),
    )
    new = SupplierFactory(legal_name="CV Baru", verification_status="unverified")
    _age(new, 5)

    rows = list(waiting_firms(QueueFilters()))

    assert [row["row_name"] for row in rows] == ["CV Baru", "CV Lama Berubah"]
    assert rows[1]["review_reason"] == "changed"
    assert _names(QueueFilters(review="changed")) == ["CV Lama Berubah"]
    assert _names(QueueFilters(review="new")) == ["CV Baru"]
    assert _names(QueueFilters(review="resubmitted")) == []


def test_filters_by_kind_province_and_waiting_time():
    jabar = SupplierFactory(legal_name="CV Jabar", verification_status="unverified")
    jatim = SupplierFactory(legal_name="CV Jatim", verification_status="unverified")
    buyer = ManufacturerFactory(name="PT Jabar", verification_status="unverified")
    Supplier.objects.filter(pk=jabar.pk).update(province_id="32")
    Supplier.objects.filter(pk=jatim.pk).update(province_id="35")
    type(buyer).objects.filter(pk=buyer.pk).update(province_id="32")
    _age(jabar, 40), _age(jatim, 8), _age(buyer, 1)

    assert _names(QueueFilters(kind="manufacturer")) == ["PT Jabar"]
    assert _names(QueueFilters(kind="supplier")) == ["CV Jabar", "CV Jatim"]
    assert _names(QueueFilters(province="32")) == ["CV Jabar", "PT Jabar"]
    assert _names(QueueFilters(waiting_days=7)) == ["CV Jabar", "CV Jatim"]
    assert _names(QueueFilters(waiting_days=30)) == ["CV Jabar"]
    assert _names(QueueFilters(province="32", kind="supplier", waiting_days=30)) == ["CV Jabar"]


def test_search_finds_a_name_an_nib_or_an_npwp_typed_with_separators():
    SupplierFactory(
        legal_name="CV Logam Mulia", nib="8120001234567", verification_status="unverified"
    )
    SupplierFactory(legal_name="CV Plastik", verification_status="unverified")
    ManufacturerFactory(
        name="PT Motor Listrik", npwp="0123456789012345", verification_status="unverified"
    )

    assert _names(QueueFilters(q="logam")) == ["CV Logam Mulia"]
    assert _names(QueueFilters(q="8120001234567")) == ["CV Logam Mulia"]
    assert _names(QueueFilters(q="01.234.567.8-901.234")) == ["PT Motor Listrik"]


def test_rows_count_expired_and_expiring_certificates():
    firm = SupplierFactory(legal_name="CV Sertifikat", verification_status="unverified")
    today = timezone.localdate()
    SupplierCertificationFactory(supplier=firm, valid_until=today - timedelta(days=1))
    SupplierCertificationFactory(supplier=firm, valid_until=today + timedelta(days=10))
    SupplierCertificationFactory(supplier=firm, valid_until=today + timedelta(days=200))

    (row,) = waiting_firms(QueueFilters())

    assert (row["expired_certificates"], row["expiring_certificates"]) == (1, 1)


# --- the pages --------------------------------------------------------------------------------


def test_the_queue_pages_by_twenty_and_keeps_the_filters_in_the_page_links(client, ministry):
    for n in range(PAGE_SIZE + 3):
        firm = SupplierFactory(legal_name=f"CV Antre {n:02d}", verification_status="unverified")
        _age(firm, 100 - n)

    first = client.get(reverse("reports:queue"), {"kind": "supplier"})
    second = client.get(reverse("reports:queue"), {"kind": "supplier", "page": 2})

    assert first.status_code == 200
    body = first.content.decode()
    assert body.count('data-testid="queue-supplier"') == PAGE_SIZE
    assert "CV Antre 00" in body and "CV Antre 22" not in body
    assert "?kind=supplier&amp;page=2" in body
    assert second.content.decode().count('data-testid="queue-supplier"') == 3
    # Each row links to the firm's own review, carrying the way back to this page.
    assert "back=kind%3Dsupplier%26page%3D2" in second.content.decode()


def test_bad_filter_values_are_ignored_not_an_error(client, ministry):
    SupplierFactory(legal_name="CV Tetap", verification_status="unverified")

    response = client.get(
        reverse("reports:queue"), {"kind": "alien", "waiting": "abc", "province": "99", "page": "x"}
    )

    assert response.status_code == 200
    assert "CV Tetap" in response.content.decode()


def test_the_review_page_shows_documents_and_flags_an_expired_iso_9001(client, ministry):
    firm = SupplierFactory(legal_name="CV Kedaluwarsa", verification_status="unverified")
    today = timezone.localdate()
    expired = SupplierCertificationFactory(supplier=firm, valid_until=today - timedelta(days=3))
    SupplierCertificationFactory(supplier=firm, valid_until=today + timedelta(days=12))

    response = client.get(reverse("reports:review", args=["supplier", firm.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="certificate-expired"' in body
    assert 'data-testid="certificate-expiring"' in body
    assert 'data-testid="expired-warning"' in body
    assert 'data-testid="confirm-expired"' in body
    document = reverse("suppliers:certificate_document", args=[firm.pk, expired.pk])
    assert document in body
    assert client.get(document).status_code == 200


def test_approving_a_firm_with_an_expired_certificate_asks_for_confirmation(client, ministry):
    firm = SupplierFactory(legal_name="CV Kedaluwarsa", verification_status="unverified")
    SupplierCertificationFactory(
        supplier=firm, valid_until=timezone.localdate() - timedelta(days=3)
    )
    url = reverse("reports:decide", args=["supplier", firm.pk])

    refused = client.post(url, {"decision": "approved"})

    assert refused.status_code == 400
    body = refused.content.decode()
    assert "A certificate has expired (ISO 9001" in body
    assert 'data-testid="decision-errors"' in body
    assert body.count("autofocus") == 1 and 'name="confirm_expired"' in body
    firm.refresh_from_db()
    assert firm.verification_status == "unverified"
    assert not VerificationDecision.objects.exists()

    accepted = client.post(url, {"decision": "approved", "confirm_expired": "on"})

    assert accepted.status_code == 302
    firm.refresh_from_db()
    assert firm.verification_status == "verified"


def test_rejecting_without_a_reason_returns_only_this_firm_with_the_error_focused(client, ministry):
    firm = SupplierFactory(legal_name="CV Tanpa Alasan", verification_status="unverified")
    SupplierFactory(legal_name="CV Lain", verification_status="unverified")

    response = client.post(
        reverse("reports:decide", args=["supplier", firm.pk]),
        {"decision": "rejected", "reason": "  ", "back": "kind=supplier"},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "CV Lain" not in body  # not the whole queue
    assert 'href="#id_reason"' in body  # the summary at the top points at the field
    assert 'id="id_reason_error"' in body
    textarea = body[body.index("<textarea") : body.index("</textarea>")]
    assert "autofocus" in textarea
    assert 'value="rejected" id="id_decision_1" checked' in body
    assert 'name="back" value="kind=supplier"' in body
    firm.refresh_from_db()
    assert firm.verification_status == "unverified"


def test_a_decision_returns_to_the_queue_at_the_same_filters_naming_the_firm(client, ministry):
    firm = ManufacturerFactory(name="PT Tepat", verification_status="unverified")

    response = client.post(
        reverse("reports:decide", args=["manufacturer", firm.pk]),
        {"decision": "rejected", "reason": "NPWP tidak cocok", "back": "kind=manufacturer&page=2"},
        follow=True,
    )

    assert response.redirect_chain[0][0] == reverse("reports:queue") + "?kind=manufacturer&page=2"
    assert "PT Tepat is rejected" in response.content.decode()
    firm.refresh_from_db()
    assert firm.verification_status == "rejected"


def test_the_way_back_keeps_only_the_queue_parameters(client, ministry):
    firm = SupplierFactory(verification_status="unverified")

    response = client.post(
        reverse("reports:decide", args=["supplier", firm.pk]),
        {"decision": "approved", "back": "kind=supplier&next=https://evil.example/"},
    )

    assert response["Location"] == reverse("reports:queue") + "?kind=supplier"


def test_the_decision_is_told_in_indonesian_by_default(client):
    client.force_login(MinistryUserFactory())
    firm = SupplierFactory(legal_name="CV Bahasa", verification_status="unverified")

    response = client.post(
        reverse("reports:decide", args=["supplier", firm.pk]),
        {"decision": "rejected", "reason": ""},
    )

    assert "Sebutkan alasan penolakan." in response.content.decode()


@pytest.mark.parametrize(
    ("user_factory", "status"),
    [
        (None, 302),
        (UmkmUserFactory, 403),
        (BuyerUserFactory, 403),
        (MinistryUserFactory, 200),
        (AdminUserFactory, 200),
    ],
)
def test_who_may_see_the_queue_and_a_review_and_decide(client, user_factory, status):
    firm = SupplierFactory(verification_status="unverified")
    if user_factory is not None:
        client.force_login(user_factory())

    queue = client.get(reverse("reports:queue"))
    review = client.get(reverse("reports:review", args=["supplier", firm.pk]))
    decide = client.post(
        reverse("reports:decide", args=["supplier", firm.pk]), {"decision": "approved"}
    )

    assert queue.status_code == status
    assert review.status_code == status
    if status == 200:
        assert decide.status_code == 302
        firm.refresh_from_db()
        assert firm.verification_status == "verified"
    else:
        assert decide.status_code == status
        firm.refresh_from_db()
        assert firm.verification_status == "unverified"
    if status == 302:
        assert "/login/" in queue["Location"]


def test_an_unknown_kind_or_firm_is_not_found(client, ministry):
    assert client.get(reverse("reports:review", args=["bank", 1])).status_code == 404
    assert client.get(reverse("reports:review", args=["supplier", 999999])).status_code == 404


def test_the_filters_read_in_the_reviewers_language(client, settings):
    client.force_login(MinistryUserFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("reports:queue")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(reverse("reports:queue")).content.decode()

    assert "At least 30 days" in english and "Min. 30 hari" not in english
    assert "Min. 30 hari" in indonesian and "Jenis" in indonesian
