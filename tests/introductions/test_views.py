"""Who may open which page, contact privacy before and after acceptance, the notification centre
and the unsubscribe link."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts import outbox
from accounts.models import EmailPreference, Notification
from introductions import partnerships as ps
from introductions import services as intro
from introductions.models import Introduction, Partnership
from manufacturers.models import RequirementAttachment
from tests.factories import (
    TINY_PDF,
    AdminUserFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
    UmkmUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(pair):
    return intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer, message="Hello"
    )


@pytest.fixture
def attachment(pair):
    return RequirementAttachment.objects.create(
        requirement=pair.requirement,
        file=ContentFile(TINY_PDF, name="drawing.pdf"),
        original_name="holder-drawing.pdf",
        size=len(TINY_PDF),
    )


def users(pair) -> dict:
    return {
        "anonymous": None,
        "buyer": pair.buyer,
        "umkm": pair.umkm,
        "buyer_colleague": ManufacturerMemberFactory(
            manufacturer=pair.requirement.manufacturer, role="staff"
        ).user,
        "umkm_colleague": SupplierMemberFactory(supplier=pair.supplier, role="staff").user,
        "other_buyer": ManufacturerMemberFactory().user,
        "other_umkm": SupplierMemberFactory().user,
        "ministry": MinistryUserFactory(),
        "admin": AdminUserFactory(),
    }


def get_as(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def assert_login_redirect(response):
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the permission matrix --------------------------------------------------------------------

DETAIL_ACCESS = {
    "anonymous": "login",
    "buyer": 200,
    "umkm": 200,
    "buyer_colleague": 200,
    "umkm_colleague": 200,
    "other_buyer": 404,
    "other_umkm": 404,
    "ministry": 404,
    "admin": 200,
}


def test_introduction_detail_permission_matrix(client, pair, requested):
    url = reverse("introductions:detail", args=[requested.pk])
    for name, user in users(pair).items():
        response = get_as(client, user, url)
        expected = DETAIL_ACCESS[name]
        if expected == "login":
            assert_login_redirect(response)
        else:
            assert response.status_code == expected, name


REQUEST_ACCESS = {
    "anonymous": "login",
    "buyer": 200,
    "buyer_colleague": 200,
    "umkm": 404,
    "umkm_colleague": 404,
    "other_buyer": 404,
    "other_umkm": 404,
    "ministry": 404,
    "admin": 404,
}


def test_request_page_permission_matrix(client, pair):
    url = reverse("introductions:request", args=[pair.requirement.pk, pair.supplier.pk])
    for name, user in users(pair).items():
        response = get_as(client, user, url)
        expected = REQUEST_ACCESS[name]
        if expected == "login":
            assert_login_redirect(response)
        else:
            assert response.status_code == expected, name
    assert not Introduction.objects.exists()


def test_interest_page_is_for_umkm_members_only(client, pair):
    url = reverse("introductions:interest", args=[pair.requirement.pk])
    expected = {"umkm": 200, "umkm_colleague": 200, "other_umkm": 200}
    for name, user in users(pair).items():
        response = get_as(client, user, url)
        if user is None:
            assert_login_redirect(response)
        else:
            assert response.status_code == expected.get(name, 404), name
    lone_umkm = UmkmUserFactory()  # no company yet
    assert get_as(client, lone_umkm, url).status_code == 404


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
def test_answer_actions_are_refused_to_everyone_but_the_right_side(client, pair, requested, action):
    url = reverse(f"introductions:{action}", args=[requested.pk])
    everyone = users(pair)
    buyer_side = {"buyer", "buyer_colleague"}
    supplier_side = {"umkm", "umkm_colleague"}
    right_side = buyer_side if action == "withdraw" else supplier_side
    wrong_side = supplier_side if action == "withdraw" else buyer_side
    for name, user in everyone.items():
        if name in right_side:
            continue
        # confirmed: the destructive withdraw asks first (accounts/confirm.py)
        response = get_as(client, user, url, "post", {"confirmed": "yes"})
        if user is None:
            assert_login_redirect(response)
        elif name in wrong_side or name == "admin":
            assert response.status_code == 403, name  # a party, but not the one who may do this
        else:
            assert response.status_code == 404, name
    requested.refresh_from_db()
    assert requested.status == Introduction.Status.REQUESTED
    colleague = everyone[sorted(right_side)[-1]]  # the colleague, not the original member
    assert get_as(client, colleague, url).status_code == 405  # GET never changes anything
    assert get_as(client, colleague, url, "post", {"confirmed": "yes"}).status_code == 302
    requested.refresh_from_db()
    assert (
        requested.status
        == {
            "accept": "accepted",
            "decline": "declined",
            "withdraw": "withdrawn",
        }[action]
    )


def test_partnership_pages_permission_matrix(client, pair, requested):
    intro.introduction_accept(introduction=requested, by=pair.umkm)
    partnership = ps.partnership_create(introduction=requested, by=pair.buyer)
    url = reverse("introductions:partnership", args=[partnership.pk])
    start_url = reverse("introductions:partnership_start", args=[requested.pk])
    for name, user in users(pair).items():
        response = get_as(client, user, url)
        if user is None:
            assert_login_redirect(response)
            continue
        party = name in ("buyer", "umkm", "buyer_colleague", "umkm_colleague")
        assert response.status_code == (200 if party or name == "admin" else 404), name
        post = get_as(client, user, url, "post", {"stage": "contract"})
        assert post.status_code == (302 if party else 404), name
        if not party and name != "admin":
            assert get_as(client, user, start_url).status_code == 404, name
    partnership.refresh_from_db()
    assert partnership.stage == "contract"


def test_a_partnership_cannot_be_started_before_acceptance(client, pair, requested):
    url = reverse("introductions:partnership_start", args=[requested.pk])
    assert get_as(client, pair.buyer, url).status_code == 404
    assert get_as(client, pair.buyer, url, "post", {"stage": "in_discussion"}).status_code == 404
    assert not Partnership.objects.exists()


# --- contact privacy ----------------------------------------------------------------------------


def test_contacts_price_and_drawings_are_shared_only_after_acceptance(
    client, pair, requested, attachment
):
    url = reverse("introductions:detail", args=[requested.pk])
    file_url = reverse("introductions:attachment", args=[requested.pk, attachment.pk])
    buyer_page = get_as(client, pair.buyer, url).content.decode()
    umkm_page = get_as(client, pair.umkm, url).content.decode()
    assert pair.supplier.contact_phone not in buyer_page
    assert pair.supplier.contact_email not in buyer_page
    for secret in (pair.buyer.email, pair.buyer.full_name, "holder-drawing.pdf"):
        assert secret not in umkm_page
    assert 'data-testid="target-price"' not in umkm_page
    assert get_as(client, pair.umkm, file_url).status_code == 404

    intro.introduction_accept(introduction=requested, by=pair.umkm)

    for user in (pair.buyer, pair.umkm):
        page = get_as(client, user, url).content.decode()
        assert pair.supplier.contact_phone in page and pair.supplier.contact_name in page
        assert pair.buyer.email in page and pair.buyer.full_name in page
    umkm_page = get_as(client, pair.umkm, url).content.decode()
    assert "holder-drawing.pdf" in umkm_page
    assert re.search(r'data-testid="target-price">IDR 4[.,]000 – 6[.,]000<', umkm_page)
    response = get_as(client, pair.umkm, file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Cache-Control"] == "private, no-store"
    # Still nobody else.
    assert get_as(client, SupplierMemberFactory().user, file_url).status_code == 404


def test_an_attachment_of_another_requirement_is_never_served(client, pair, requested):
    from tests.introductions.factories import make_pair

    foreign = make_pair()
    stranger_file = RequirementAttachment.objects.create(
        requirement=foreign.requirement,
        file=ContentFile(TINY_PDF, name="x.pdf"),
        original_name="secret.pdf",
        size=len(TINY_PDF),
    )
    intro.introduction_accept(introduction=requested, by=pair.umkm)
    url = reverse("introductions:attachment", args=[requested.pk, stranger_file.pk])
    assert get_as(client, pair.umkm, url).status_code == 404


# --- forms ------------------------------------------------------------------------------------


def test_a_too_long_message_is_shown_next_to_the_field_and_kept(client, pair):
    url = reverse("introductions:request", args=[pair.requirement.pk, pair.supplier.pk])
    text = "Sample order please. " * 60
    response = get_as(client, pair.buyer, url, "post", {"message": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="field-error"' in page and text.strip()[:200] in page
    assert not Introduction.objects.exists()


def test_an_unverified_buyer_sees_why_the_request_is_refused(client, db):
    from tests.introductions.factories import make_pair

    pair = make_pair(manufacturer_status="pending")
    url = reverse("introductions:request", args=[pair.requirement.pk, pair.supplier.pk])
    response = get_as(client, pair.buyer, url, "post", {"message": "Hi"})
    assert response.status_code == 200
    assert "must be verified" in response.content.decode()


def test_a_second_request_leads_to_the_existing_introduction(client, pair, requested):
    url = reverse("introductions:request", args=[pair.requirement.pk, pair.supplier.pk])
    response = get_as(client, pair.buyer, url)
    assert response.status_code == 302
    assert response["Location"] == reverse("introductions:detail", args=[requested.pk])


def test_declining_with_a_reason_through_the_page(client, pair, requested):
    url = reverse("introductions:decline", args=[requested.pk])
    response = get_as(client, pair.umkm, url, "post", {"reason": "No capacity this year"})
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.decline_reason == "No capacity this year"


def test_ending_a_partnership_without_a_reason_shows_the_error(client, pair, requested):
    intro.introduction_accept(introduction=requested, by=pair.umkm)
    partnership = ps.partnership_create(introduction=requested, by=pair.buyer)
    url = reverse("introductions:partnership", args=[partnership.pk])
    response = get_as(
        client,
        pair.umkm,
        url,
        "post",
        {"stage": "ended", "notes": "Keep this note", "ended_reason": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Keep this note" in page
    assert 'id="id_ended_reason_error"' in page
    partnership.refresh_from_db()
    assert partnership.stage == "in_discussion"


# --- notifications ----------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_with_one_query(
    client, pair, requested, django_assert_max_num_queries
):
    client.force_login(pair.umkm)
    response = client.get(reverse("notifications"))
    assert 'data-testid="unread-count">1<' in response.content.decode()
    from django.test import RequestFactory

    from accounts.context_processors import navigation

    request = RequestFactory().get("/")
    request.user = pair.buyer  # no membership lookups for a buyer in the header
    context = navigation(request)
    with django_assert_max_num_queries(1):
        assert int(str(context["nav_unread"])) == 0


def test_marking_one_read_follows_its_link_and_all_read_clears_the_count(client, pair, requested):
    intro.introduction_withdraw(introduction=requested, by=pair.buyer)
    client.force_login(pair.umkm)
    first, second = Notification.objects.filter(user=pair.umkm).order_by("pk")

    response = client.post(reverse("notification_read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == first.url
    first.refresh_from_db()
    assert first.read_at is not None

    client.post(reverse("notifications_read_all"))
    second.refresh_from_db()
    assert second.read_at is not None
    page = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-count"' not in page


def test_no_one_can_mark_someone_elses_notification(client, pair, requested):
    notification = Notification.objects.get(user=pair.umkm)
    client.force_login(pair.buyer)
    assert client.post(reverse("notification_read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_notification_text_is_in_the_readers_language(client, pair, requested):
    client.force_login(pair.umkm)
    page = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert pair.requirement.manufacturer.name in page
    assert pair.requirement.title in page


# --- unsubscribe ------------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_logging_in(client, pair):
    url = outbox.unsubscribe_path(pair.umkm)
    page = client.get(url)
    assert page.status_code == 200
    assert not EmailPreference.objects.filter(user=pair.umkm).exists()  # GET changes nothing
    client.post(url, {"action": "unsubscribe"})
    assert EmailPreference.objects.get(user=pair.umkm).weekly_digest is False
    client.post(url, {"action": "resubscribe"})
    assert EmailPreference.objects.get(user=pair.umkm).weekly_digest is True


def test_a_forged_unsubscribe_token_is_refused(client, pair):
    token = outbox.unsubscribe_token(pair.umkm)
    response = client.post(
        reverse("digest_unsubscribe", args=[token[:-2] + "xx"]), {"action": "unsubscribe"}
    )
    assert response.status_code == 404
    assert not EmailPreference.objects.filter(user=pair.umkm).exists()
