"""The introduction state machine: who may do what, when, and what each transition records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification, OutboxEmail
from introductions import selectors
from introductions import services as intro
from introductions.models import Introduction, IntroductionEvent
from tests.factories import (
    ManufacturerMemberFactory,
    SupplierMemberFactory,
    UmkmUserFactory,
)
from tests.introductions.factories import make_pair

pytestmark = pytest.mark.django_db

Status = Introduction.Status


def request(pair, **kwargs):
    return intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer, **kwargs
    )


def interest(pair):
    return intro.introduction_express_interest(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
    )


# --- requesting -------------------------------------------------------------------------------


def test_buyer_request_records_event_notification_and_email(pair):
    introduction = request(pair, message="Can you make 20,000 a month?")

    assert introduction.status == Status.REQUESTED
    assert introduction.direction == Introduction.Direction.BUYER_REQUEST
    assert introduction.score == pair.match.score
    assert introduction.expires_at - introduction.requested_at == timedelta(days=14)
    event = IntroductionEvent.objects.get(introduction=introduction)
    assert (event.actor, event.from_status, event.to_status) == (pair.buyer, "", "requested")
    note = Notification.objects.get(user=pair.umkm)
    assert note.kind == "intro_requested" and note.url.endswith(f"/{introduction.pk}/")
    email = OutboxEmail.objects.get(recipient=pair.umkm.email)
    assert email.template == "intro_requested"
    assert email.language == "id"  # the UMKM member's language
    assert email.context["message"] == "Can you make 20,000 a month?"
    assert not Notification.objects.filter(user=pair.buyer).exists()


def test_only_the_owning_buyer_can_request(pair):
    other_buyer = ManufacturerMemberFactory().user
    with pytest.raises(PermissionDenied):
        intro.introduction_request(
            requirement=pair.requirement, supplier=pair.supplier, by=other_buyer
        )
    with pytest.raises(PermissionDenied):
        intro.introduction_request(
            requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
        )
    assert not Introduction.objects.exists()


def test_an_unverified_manufacturer_cannot_request(db):
    pair = make_pair(manufacturer_status="pending")
    with pytest.raises(ValidationError) as excinfo:
        request(pair)
    assert excinfo.value.code == "unverified"


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_requirement_that_is_not_open_cannot_be_requested(db, status):
    pair = make_pair(requirement_status=status)
    with pytest.raises(ValidationError) as excinfo:
        request(pair)
    assert excinfo.value.code == "not_open"


def test_a_supplier_without_a_match_cannot_be_requested(pair):
    pair.match.delete()
    with pytest.raises(ValidationError) as excinfo:
        request(pair)
    assert excinfo.value.code == "no_match"


def test_a_message_longer_than_1000_characters_is_refused(pair):
    with pytest.raises(ValidationError) as excinfo:
        request(pair, message="x" * 1001)
    assert "message" in excinfo.value.error_dict


@pytest.mark.parametrize("first_status", ["requested", "accepted"])
def test_one_open_introduction_per_pair(pair, first_status):
    first = request(pair)
    if first_status == "accepted":
        intro.introduction_accept(introduction=first, by=pair.umkm)
    with pytest.raises(ValidationError) as excinfo:
        request(pair)
    assert excinfo.value.code == "duplicate"
    with pytest.raises(ValidationError):
        interest(pair)
    assert Introduction.objects.count() == 1


def test_the_database_refuses_a_second_open_introduction(pair):
    first = request(pair)
    with pytest.raises(IntegrityError), transaction.atomic():
        Introduction.objects.create(
            requirement=pair.requirement,
            supplier=pair.supplier,
            direction=Introduction.Direction.UMKM_INTEREST,
            expires_at=first.expires_at,
        )


@pytest.mark.parametrize("end", ["declined", "withdrawn", "expired"])
def test_a_pair_can_start_again_after_an_introduction_ended(pair, end):
    first = request(pair)
    if end == "declined":
        intro.introduction_decline(introduction=first, by=pair.umkm)
    elif end == "withdrawn":
        intro.introduction_withdraw(introduction=first, by=pair.buyer)
    else:
        intro.introductions_expire(now=first.expires_at)
    second = request(pair)
    assert second.pk != first.pk and second.status == Status.REQUESTED


def test_umkm_interest_is_sent_to_the_buyer(pair):
    introduction = interest(pair)
    assert introduction.direction == Introduction.Direction.UMKM_INTEREST
    assert Notification.objects.get(user=pair.buyer).kind == "intro_interest"
    assert OutboxEmail.objects.get(recipient=pair.buyer.email).language == "en"


def test_only_members_of_the_supplier_can_express_its_interest(pair):
    stranger = SupplierMemberFactory().user
    with pytest.raises(PermissionDenied):
        intro.introduction_express_interest(
            requirement=pair.requirement, supplier=pair.supplier, by=stranger
        )
    with pytest.raises(PermissionDenied):
        intro.introduction_express_interest(
            requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
        )
    lone = UmkmUserFactory()
    with pytest.raises(PermissionDenied):
        intro.introduction_express_interest(
            requirement=pair.requirement, supplier=pair.supplier, by=lone
        )


def test_interest_in_a_closed_requirement_is_refused(db):
    pair = make_pair(requirement_status="closed")
    with pytest.raises(ValidationError):
        interest(pair)


# --- answering --------------------------------------------------------------------------------


def test_the_supplier_accepts_a_buyer_request_and_both_sides_are_told(pair):
    introduction = request(pair)
    assert not selectors.introduction_accepted_between(pair.requirement, pair.supplier)

    colleague = SupplierMemberFactory(supplier=pair.supplier, role="staff").user
    intro.introduction_accept(introduction=introduction, by=pair.umkm)

    introduction.refresh_from_db()
    assert introduction.status == Status.ACCEPTED
    assert introduction.decided_by == pair.umkm and introduction.decided_at
    assert selectors.introduction_accepted_between(pair.requirement, pair.supplier)
    events = list(introduction.events.values_list("from_status", "to_status", "actor"))
    assert events == [("", "requested", pair.buyer.pk), ("requested", "accepted", pair.umkm.pk)]
    accepted = OutboxEmail.objects.filter(template="intro_accepted")
    # Both sides, except the person who accepted and sees the contacts on the page already.
    assert set(accepted.values_list("recipient", flat=True)) == {pair.buyer.email, colleague.email}
    context = accepted.first().context
    assert context["supplier_phone"] == "+6281234567890"
    assert pair.buyer.email in context["buyer_contacts"]


def test_the_trail_records_whose_contacts_the_acceptance_mail_sent_to_whom(pair):
    from accounts.models import AuditRecord

    introduction = request(pair)
    colleague = SupplierMemberFactory(supplier=pair.supplier, role="staff").user
    intro.introduction_accept(introduction=introduction, by=pair.umkm)

    sent = {
        (record.firm_kind, record.firm_id): record
        for record in AuditRecord.objects.filter(action=AuditRecord.Action.CONTACTS_SENT)
    }
    # The UMKM's contacts went to the buyer; the buyer's to the UMKM's colleague (the person who
    # accepted reads them on the page, recorded when the page shows them).
    supplier_record = sent.pop(("supplier", pair.supplier.pk))
    buyer_record = sent.pop(("manufacturer", pair.requirement.manufacturer_id))
    assert sent == {}
    assert supplier_record.fields == [f"introduction:{introduction.pk}", f"to_user:{pair.buyer.pk}"]
    assert buyer_record.fields == [f"introduction:{introduction.pk}", f"to_user:{colleague.pk}"]
    assert supplier_record.actor == pair.umkm


@pytest.mark.parametrize("who", ["buyer", "other_umkm", "other_buyer"])
def test_a_buyer_request_can_only_be_answered_by_the_supplier(pair, who):
    introduction = request(pair)
    user = {
        "buyer": pair.buyer,
        "other_umkm": SupplierMemberFactory().user,
        "other_buyer": ManufacturerMemberFactory().user,
    }[who]
    with pytest.raises(PermissionDenied):
        intro.introduction_accept(introduction=introduction, by=user)
    with pytest.raises(PermissionDenied):
        intro.introduction_decline(introduction=introduction, by=user)
    introduction.refresh_from_db()
    assert introduction.status == Status.REQUESTED


def test_an_interest_is_answered_by_the_buyer_not_the_supplier(pair):
    introduction = interest(pair)
    with pytest.raises(PermissionDenied):
        intro.introduction_accept(introduction=introduction, by=pair.umkm)
    intro.introduction_accept(introduction=introduction, by=pair.buyer)
    introduction.refresh_from_db()
    assert introduction.status == Status.ACCEPTED


def test_another_member_of_the_supplier_can_answer(pair):
    introduction = request(pair)
    colleague = SupplierMemberFactory(supplier=pair.supplier, role="staff").user
    intro.introduction_decline(introduction=introduction, by=colleague, reason="Full capacity")
    introduction.refresh_from_db()
    assert introduction.status == Status.DECLINED
    assert introduction.decline_reason == "Full capacity"
    assert introduction.events.last().note == "Full capacity"
    declined = OutboxEmail.objects.get(template="intro_declined")
    assert declined.recipient == pair.buyer.email and declined.context["reason"] == "Full capacity"


@pytest.mark.parametrize("end", ["accepted", "declined", "withdrawn", "expired"])
def test_a_finished_introduction_cannot_be_answered_or_withdrawn(pair, end):
    introduction = request(pair)
    if end == "accepted":
        intro.introduction_accept(introduction=introduction, by=pair.umkm)
    elif end == "declined":
        intro.introduction_decline(introduction=introduction, by=pair.umkm)
    elif end == "withdrawn":
        intro.introduction_withdraw(introduction=introduction, by=pair.buyer)
    else:
        intro.introductions_expire(now=introduction.expires_at + timedelta(seconds=1))
    for action in (
        lambda: intro.introduction_accept(introduction=introduction, by=pair.umkm),
        lambda: intro.introduction_decline(introduction=introduction, by=pair.umkm),
        lambda: intro.introduction_withdraw(introduction=introduction, by=pair.buyer),
    ):
        with pytest.raises(ValidationError) as excinfo:
            action()
        assert excinfo.value.code == "not_waiting"
    introduction.refresh_from_db()
    assert introduction.status == end


def test_a_request_past_its_expiry_cannot_be_accepted_even_before_the_task_ran(pair):
    introduction = request(pair)
    Introduction.objects.filter(pk=introduction.pk).update(
        requested_at=timezone.now() - timedelta(days=15),
        expires_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        intro.introduction_accept(introduction=introduction, by=pair.umkm)
    assert excinfo.value.code == "expired"


def test_only_the_asking_side_can_withdraw(pair):
    introduction = request(pair)
    with pytest.raises(PermissionDenied):
        intro.introduction_withdraw(introduction=introduction, by=pair.umkm)
    intro.introduction_withdraw(introduction=introduction, by=pair.buyer)
    introduction.refresh_from_db()
    assert introduction.status == Status.WITHDRAWN
    assert OutboxEmail.objects.get(template="intro_withdrawn").recipient == pair.umkm.email


# --- reminders and expiry ---------------------------------------------------------------------


def test_a_reminder_goes_out_once_after_seven_days(pair):
    introduction = request(pair)
    day6 = introduction.requested_at + timedelta(days=6)
    day7 = introduction.requested_at + timedelta(days=7, minutes=1)
    assert intro.introductions_remind(now=day6) == 0
    assert intro.introductions_remind(now=day7) == 1
    assert intro.introductions_remind(now=day7 + timedelta(hours=1)) == 0
    introduction.refresh_from_db()
    assert introduction.reminded_at == day7
    reminders = OutboxEmail.objects.filter(template="intro_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [pair.umkm.email]


def test_an_answered_request_gets_no_reminder(pair):
    introduction = request(pair)
    intro.introduction_accept(introduction=introduction, by=pair.umkm)
    assert intro.introductions_remind(now=timezone.now() + timedelta(days=8)) == 0


def test_requests_expire_after_fourteen_days_and_both_sides_are_told(pair):
    introduction = request(pair)
    assert intro.introductions_expire(now=introduction.expires_at - timedelta(minutes=1)) == 0
    assert intro.introductions_expire(now=introduction.expires_at) == 1
    assert intro.introductions_expire(now=introduction.expires_at) == 0  # idempotent
    introduction.refresh_from_db()
    assert introduction.status == Status.EXPIRED
    event = introduction.events.last()
    assert (event.actor, event.from_status, event.to_status) == (None, "requested", "expired")
    expired = OutboxEmail.objects.filter(template="intro_expired")
    assert set(expired.values_list("recipient", flat=True)) == {pair.buyer.email, pair.umkm.email}


def test_accepted_introductions_never_expire(pair):
    introduction = request(pair)
    intro.introduction_accept(introduction=introduction, by=pair.umkm)
    assert intro.introductions_expire(now=timezone.now() + timedelta(days=30)) == 0


# --- reads ------------------------------------------------------------------------------------


def test_each_user_sees_only_their_own_companies_introductions(pair):
    introduction = request(pair)
    outsider = make_pair()
    assert list(selectors.introductions_for_user(pair.buyer)) == [introduction]
    assert list(selectors.introductions_for_user(pair.umkm)) == [introduction]
    assert list(selectors.introductions_for_user(outsider.buyer)) == []
    assert list(selectors.introductions_for_user(outsider.umkm)) == []
