"""The conversation pages: the permission matrix of every new page (each role x each view), the
thread before and after acceptance, sending with a file, bad input kept, unread badges in the
header, the notification centre and the introduction list, and counts-only for the ministry and
the admin."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override

from accounts.models import AuditRecord
from introductions import services as intro
from introductions.conversation import services
from introductions.models import Message
from tests.factories import (
    TINY_PDF,
    AdminUserFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Harga kami Rp 12.500 per unit"


def users(pair) -> dict:
    return {
        "anonymous": None,
        "buyer": pair.buyer,
        "umkm": pair.umkm,
        "other_buyer": ManufacturerMemberFactory().user,
        "other_umkm": SupplierMemberFactory().user,
        "ministry": MinistryUserFactory(),
        "partner": UserFactory(role="partner"),
        "admin": AdminUserFactory(),
    }


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def pdf(name="penawaran.pdf"):
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


@pytest.fixture
def thread(pair, accepted):
    message = services.message_send(introduction=accepted, by=pair.umkm, body=SECRET, files=[pdf()])
    return accepted, message, message.attachments.get()


def assert_login_redirect(response):
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the permission matrix --------------------------------------------------------------------

PARTIES = {"buyer", "umkm"}


def test_thread_page_permission_matrix(client, pair, thread):
    introduction, _message, _file = thread
    url = reverse("introductions:thread", args=[introduction.pk])
    for name, user in users(pair).items():
        response = as_user(client, user).get(url)
        if user is None:
            assert_login_redirect(response)
        elif name in PARTIES:
            assert response.status_code == 200, name
            assert SECRET in response.content.decode(), name
        else:  # the admin too: counts only, never content
            assert response.status_code == 404, name
            assert SECRET not in response.content.decode(), name


def test_sending_permission_matrix(client, pair, accepted):
    url = reverse("introductions:thread", args=[accepted.pk])
    for name, user in users(pair).items():
        response = as_user(client, user).post(url, {"body": f"from {name}"})
        if user is None:
            assert_login_redirect(response)
        elif name in PARTIES:
            assert response.status_code == 302, name
            assert response["Location"].endswith("#reply")
        else:
            assert response.status_code == 404, name
    assert sorted(Message.objects.values_list("body", flat=True)) == ["from buyer", "from umkm"]


def test_message_file_permission_matrix(client, pair, thread):
    introduction, _message, attachment = thread
    url = reverse("introductions:message_file", args=[introduction.pk, attachment.pk])
    for name, user in users(pair).items():
        response = as_user(client, user).get(url)
        if user is None:
            assert_login_redirect(response)
        elif name in PARTIES:
            assert response.status_code == 200, name
            assert b"".join(response.streaming_content) == TINY_PDF
            assert response["Content-Type"] == "application/pdf"
        else:
            assert response.status_code == 404, name
    # Each download by a party is in the audit trail, as the UMKM's file.
    records = AuditRecord.objects.filter(object_kind="message_file", object_id=attachment.pk)
    assert records.count() == 2
    assert set(records.values_list("firm_kind", "firm_id")) == {("supplier", pair.supplier.pk)}


def test_a_file_of_another_thread_answers_404(client, pair, thread):
    _introduction, _message, attachment = thread
    other = make_other_accepted(pair)
    url = reverse("introductions:message_file", args=[other.pk, attachment.pk])
    assert as_user(client, pair.buyer).get(url).status_code == 404


def make_other_accepted(pair):
    """A second accepted introduction of the same buyer, with another UMKM."""
    from tests.introductions.factories import make_match

    other_member = SupplierMemberFactory(supplier__verification_status="verified")
    make_match(pair.requirement, other_member.supplier)
    other = intro.introduction_request(
        requirement=pair.requirement, supplier=other_member.supplier, by=pair.buyer
    )
    return intro.introduction_accept(introduction=other, by=other_member.user)


def test_conversation_overview_permission_matrix(client, pair, thread):
    url = reverse("introductions:conversations")
    for name, user in users(pair).items():
        response = as_user(client, user).get(url)
        if user is None:
            assert_login_redirect(response)
        elif name in ("ministry", "admin"):
            assert response.status_code == 200, name
            page = response.content.decode()
            assert SECRET not in page and "penawaran.pdf" not in page
            assert 'data-testid="count-supplier">1<' in page, name
        else:
            assert response.status_code == 404, name


# --- before and after acceptance --------------------------------------------------------------


def test_before_acceptance_the_parties_are_told_the_thread_opens_later(client, pair):
    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    url = reverse("introductions:thread", args=[requested.pk])
    client.force_login(pair.umkm)
    response = client.get(url)
    assert response.status_code == 200
    with override("id"):
        assert "Percakapan dibuka setelah perkenalan diterima." in response.content.decode()
    assert 'data-testid="message-form"' not in response.content.decode()
    posted = client.post(url, {"body": "hello?"})
    assert posted.status_code == 200 and not Message.objects.exists()
    assert as_user(client, MinistryUserFactory()).get(url).status_code == 404


def test_after_a_decline_there_is_no_thread(client, pair):
    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    intro.introduction_decline(introduction=requested, by=pair.umkm)
    url = reverse("introductions:thread", args=[requested.pk])
    response = as_user(client, pair.buyer).get(url)
    assert 'data-testid="thread-closed"' in response.content.decode()
    assert as_user(client, SupplierMemberFactory().user).get(url).status_code == 404


# --- sending ----------------------------------------------------------------------------------


def test_a_member_sends_a_message_with_a_file_and_sees_it_at_the_bottom(client, pair, accepted):
    url = reverse("introductions:thread", args=[accepted.pk])
    client.force_login(pair.umkm)
    client.post(url, {"body": "Pertama"})
    response = client.post(url, {"body": "Kedua, dengan berkas", "file": pdf("harga.pdf")})
    assert response.status_code == 302

    page = client.get(url).content.decode()
    assert page.index("Pertama") < page.index("Kedua, dengan berkas") < page.index("message-form")
    assert "harga.pdf" in page
    assert Message.objects.get(body="Kedua, dengan berkas").attachments.count() == 1


def test_a_refused_file_keeps_the_typed_message_and_stores_nothing(client, pair, accepted):
    url = reverse("introductions:thread", args=[accepted.pk])
    client.force_login(pair.umkm)
    bad = SimpleUploadedFile("harga.pdf", b"not really a pdf", content_type="application/pdf")
    response = client.post(url, {"body": "Lihat lampiran", "file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Lihat lampiran" in page and 'aria-invalid="true"' in page
    assert not Message.objects.exists()


def test_an_empty_message_is_refused_with_a_message(client, pair, accepted):
    url = reverse("introductions:thread", args=[accepted.pk])
    client.force_login(pair.buyer)
    response = client.post(url, {"body": "   "})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert not Message.objects.exists()


# --- unread badges ----------------------------------------------------------------------------


def test_unread_messages_show_in_the_header_the_centre_and_the_list_until_read(
    client, pair, accepted
):
    services.message_send(introduction=accepted, by=pair.buyer, body="satu")
    services.message_send(introduction=accepted, by=pair.buyer, body="dua")
    client.force_login(pair.umkm)

    centre = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-messages">2<' in centre
    # The badge adds them to the unread notification (the introduction request).
    assert 'data-testid="unread-count">3<' in centre
    assert 'data-testid="unread-thread"' in centre
    assert reverse("introductions:thread", args=[accepted.pk]) in centre
    listing = client.get(reverse("introductions:list")).content.decode()
    assert 'data-testid="card-unread"' in listing
    detail = client.get(reverse("introductions:detail", args=[accepted.pk])).content.decode()
    assert 'data-testid="thread-unread">2<' in detail

    thread_page = client.get(reverse("introductions:thread", args=[accepted.pk])).content.decode()
    assert 'data-testid="unread-divider"' in thread_page

    centre = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-messages"' not in centre
    assert 'data-testid="unread-count">1<' in centre
    assert 'data-testid="unread-thread"' not in centre
    # The writer never had anything unread.
    client.force_login(pair.buyer)
    centre = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-messages"' not in centre


def test_the_admin_sees_how_many_messages_not_what_they_say(client, pair, thread):
    introduction, _message, _file = thread
    admin = AdminUserFactory()
    client.force_login(admin)
    detail = client.get(reverse("introductions:detail", args=[introduction.pk])).content.decode()
    assert 'data-testid="message-count"' in detail and SECRET not in detail
    changelist = client.get(reverse("admin:introductions_introduction_changelist"))
    assert changelist.status_code == 200 and SECRET not in changelist.content.decode()
    change = client.get(
        reverse("admin:introductions_introduction_change", args=[introduction.pk])
    ).content.decode()
    assert SECRET not in change


def test_the_buyer_sees_a_whatsapp_link_the_umkm_does_not(client, pair, accepted):
    url = reverse("introductions:thread", args=[accepted.pk])
    page = as_user(client, pair.buyer).get(url).content.decode()
    assert 'href="https://wa.me/6281234567890?text=' in page
    page = as_user(client, pair.umkm).get(url).content.decode()
    assert "wa.me" not in page


def test_the_header_badge_costs_three_queries_whatever_shows_it(
    pair, accepted, django_assert_max_num_queries
):
    from django.test import RequestFactory

    from introductions.conversation.context import unread_messages

    services.message_send(introduction=accepted, by=pair.buyer, body="satu")
    request = RequestFactory().get("/")
    request.user = pair.umkm
    context = unread_messages(request)
    # The notifications, the firm membership (the header's navigation looks it up anyway), the
    # messages: each once.
    with django_assert_max_num_queries(3):
        assert str(context["nav_unread_total"]) == "2"  # the request notification + 1 message
        assert str(context["nav_unread_messages"]) == "1"
