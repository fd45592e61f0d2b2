"""The rules of the conversation: who may write when, files, read state, unread counts, the
WhatsApp link and the e-mail about unread messages (its timing and its once-only rule)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from accounts.models import OutboxEmail
from introductions import services as intro
from introductions.conversation import selectors, services
from introductions.models import Message, MessageAttachment
from suppliers.storage import private_storage
from tests.factories import (
    TINY_PDF,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in English; Indonesian is the default language.
    with override("en"):
        yield


def pdf(name="quote.pdf"):
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


def send(introduction, user, body="Halo", **kwargs):
    return services.message_send(introduction=introduction, by=user, body=body, **kwargs)


def age(message, minutes):
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


# --- who may write, and when ----------------------------------------------------------------


def test_both_firms_write_in_the_thread_of_an_accepted_introduction(pair, accepted):
    first = send(accepted, pair.buyer, "  Can you make 5,000 holders a month?  ")
    second = send(accepted, pair.umkm, "Yes, from March.")

    assert (first.side, first.sender) == ("buyer", pair.buyer)
    assert first.body == "Can you make 5,000 holders a month?"
    assert second.side == "supplier"
    assert list(selectors.thread_messages(accepted)) == [first, second]


@pytest.mark.parametrize("outsider", ["other_buyer", "other_umkm", "ministry"])
def test_it_refuses_a_message_from_outside_the_two_firms(pair, accepted, outsider):
    user = {
        "other_buyer": lambda: ManufacturerMemberFactory().user,
        "other_umkm": lambda: SupplierMemberFactory().user,
        "ministry": MinistryUserFactory,
    }[outsider]()
    with pytest.raises(PermissionDenied):
        send(accepted, user)
    assert not Message.objects.exists()


def test_it_refuses_a_message_before_the_introduction_is_accepted(pair):
    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    with pytest.raises(ValidationError) as caught:
        send(requested, pair.buyer)
    assert caught.value.code == "thread_closed"
    assert "once the introduction is accepted" in caught.value.messages[0]
    assert not Message.objects.exists()


@pytest.mark.parametrize("ending", ["decline", "withdraw"])
def test_a_declined_or_withdrawn_introduction_has_no_thread(pair, ending):
    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    if ending == "decline":
        intro.introduction_decline(introduction=requested, by=pair.umkm)
    else:
        intro.introduction_withdraw(introduction=requested, by=pair.buyer)
    with pytest.raises(ValidationError) as caught:
        send(requested, pair.umkm)
    assert "declined, expired or withdrawn" in caught.value.messages[0]
    assert not Message.objects.exists()


def test_it_refuses_an_empty_message(pair, accepted):
    with pytest.raises(ValidationError) as caught:
        send(accepted, pair.buyer, "   ")
    assert caught.value.message_dict == {"body": ["Write a message or attach a file."]}


def test_it_refuses_a_message_that_is_too_long(pair, accepted):
    with pytest.raises(ValidationError) as caught:
        send(accepted, pair.buyer, "x" * 4001)
    assert caught.value.message_dict == {"body": ["At most 4000 characters."]}


# --- files ----------------------------------------------------------------------------------


def test_a_file_alone_is_a_message_and_is_stored_privately_under_a_new_name(pair, accepted):
    message = send(accepted, pair.umkm, "", files=[pdf("../Penawaran harga.pdf")])

    [attachment] = message.attachments.all()
    assert attachment.original_name == "Penawaran harga.pdf"
    assert attachment.size == len(TINY_PDF)
    assert attachment.file.name.startswith("messages/") and "Penawaran" not in attachment.file.name
    assert attachment.file.storage is private_storage


def test_a_file_that_is_not_a_drawing_type_is_refused_and_nothing_is_stored(pair, accepted):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        send(accepted, pair.umkm, "see file", files=[pdf(), fake])
    assert "files" in caught.value.message_dict
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()


# --- read state and unread counts -----------------------------------------------------------


def test_unread_counts_only_the_other_firms_messages_until_the_reader_opens_the_thread(
    pair, accepted
):
    colleague = ManufacturerMemberFactory(manufacturer=pair.requirement.manufacturer).user
    send(accepted, pair.buyer, "one")
    send(accepted, pair.buyer, "two")

    assert selectors.unread_total(pair.umkm) == 2
    assert selectors.unread_by_introduction(pair.umkm) == {accepted.pk: 2}
    assert selectors.unread_total(pair.buyer) == 0  # one's own messages are read
    assert selectors.unread_total(colleague) == 0  # and so are one's colleagues'

    services.thread_mark_read(introduction=accepted, user=pair.umkm)
    assert selectors.unread_total(pair.umkm) == 0

    send(accepted, pair.buyer, "three")
    assert selectors.unread_count(pair.umkm, accepted) == 1
    [(thread, count)] = selectors.unread_threads(pair.umkm)
    assert (thread, count) == (accepted, 1)


def test_marking_read_never_moves_backwards(pair, accepted):
    first = send(accepted, pair.buyer, "one")
    second = send(accepted, pair.buyer, "two")
    services.thread_mark_read(introduction=accepted, user=pair.umkm, up_to=second.pk)
    state = services.thread_mark_read(introduction=accepted, user=pair.umkm, up_to=first.pk)
    assert state.last_read_message_id == second.pk


def test_ministry_counts_show_numbers_per_side(pair, accepted):
    send(accepted, pair.buyer, "one")
    send(accepted, pair.umkm, "two")
    send(accepted, pair.umkm, "three")
    [row] = selectors.conversation_overview()
    assert (row.messages_total, row.messages_from_buyer, row.messages_from_supplier) == (3, 1, 2)


# --- WhatsApp -------------------------------------------------------------------------------


def test_the_buyer_gets_a_whatsapp_link_to_the_umkm_in_the_readers_language(pair, accepted):
    pair.supplier.contact_phone = "0812-3456-7890"
    pair.supplier.save(update_fields=["contact_phone"])
    accepted.refresh_from_db()

    with override("en"):
        link = selectors.whatsapp_link(pair.buyer, accepted)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    [text] = parse_qs(parts.query)["text"]
    assert pair.requirement.title in text and text.startswith("Hello Budi Santoso")

    with override("id"):
        indonesian = parse_qs(urlsplit(selectors.whatsapp_link(pair.buyer, accepted)).query)
    assert indonesian["text"][0] != text


def test_there_is_no_whatsapp_link_without_a_number_or_before_acceptance(pair, accepted):
    assert selectors.whatsapp_link(pair.umkm, accepted) is None  # buyers have no number
    pair.supplier.contact_phone = ""
    pair.supplier.save(update_fields=["contact_phone"])
    accepted.refresh_from_db()
    assert selectors.whatsapp_link(pair.buyer, accepted) is None


def test_there_is_no_whatsapp_link_while_contacts_are_hidden(pair):
    requested = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    assert selectors.whatsapp_link(pair.buyer, requested) is None


# --- the e-mail about unread messages -------------------------------------------------------


def unread_emails():
    return OutboxEmail.objects.filter(template="message_unread")


def test_no_email_before_a_message_has_waited_15_minutes(pair, accepted):
    message = send(accepted, pair.buyer)
    age(message, 14)
    assert services.unread_message_emails_send() == 0
    assert not unread_emails().exists()


def test_a_message_unread_after_15_minutes_emails_each_reader_of_the_other_firm_once(
    pair, accepted
):
    umkm_colleague = SupplierMemberFactory(supplier=pair.supplier).user
    message = send(accepted, pair.buyer)
    age(message, 16)

    assert services.unread_message_emails_send() == 2
    assert services.unread_message_emails_send() == 0  # the job ran again: nothing new
    emails = unread_emails().order_by("recipient")
    assert sorted(e.user_id for e in emails) == sorted([pair.umkm.pk, umkm_colleague.pk])
    email = emails.get(user=pair.umkm)
    assert email.language == "id"
    assert email.context["count"] == 1
    assert email.context["other"] == pair.requirement.manufacturer.name
    assert email.context["url"] == f"/introductions/{accepted.pk}/messages/"
    assert "Halo" not in str(email.context)  # the content stays in Rantai


def test_a_reader_who_read_the_thread_gets_no_email(pair, accepted):
    message = send(accepted, pair.buyer)
    age(message, 30)
    services.thread_mark_read(introduction=accepted, user=pair.umkm)
    assert services.unread_message_emails_send() == 0


def test_at_most_one_email_per_thread_and_reader_per_hour(pair, accepted):
    age(send(accepted, pair.buyer, "one"), 20)
    assert services.unread_message_emails_send() == 1

    age(send(accepted, pair.buyer, "two"), 20)
    assert services.unread_message_emails_send() == 0  # e-mailed less than an hour ago

    later = timezone.now() + timedelta(minutes=61)
    assert services.unread_message_emails_send(now=later) == 1
    latest = unread_emails().order_by("-pk").first()
    assert latest.context["count"] == 2
    assert unread_emails().count() == 2


def test_messages_already_emailed_about_are_not_emailed_again(pair, accepted):
    age(send(accepted, pair.buyer), 20)
    assert services.unread_message_emails_send() == 1
    later = timezone.now() + timedelta(hours=3)
    assert services.unread_message_emails_send(now=later) == 0
