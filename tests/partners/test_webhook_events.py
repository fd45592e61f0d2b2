"""Partner webhooks in this process, against a real HTTP server on 127.0.0.1: the events the
services publish reach the endpoints that picked them, signed, with what the partner may see.
The deliveries' answers and retries are in test_webhook_delivery, the worker's part in
test_webhook_worker."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.events import (
    INTRODUCTION_ACCEPTED,
    PARTNERSHIP_STAGE_CHANGED,
    QUOTATION_AWARDED,
    REQUIREMENT_PUBLISHED,
    SUPPLIER_VERIFIED,
    publish,
)
from accounts.models import AuditRecord
from introductions.models import Quotation
from introductions.partnerships import partnership_update
from introductions.services import introduction_accept
from manufacturers.services import requirement_publish
from partners.models import PartnerConsent, WebhookDelivery, WebhookEvent
from partners.services import consent_grant, consent_revoke
from partners.webhooks import delivery
from partners.webhooks.services import endpoint_create
from suppliers.verification import verification_decide
from tests.factories import (
    IntroductionFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    PartnerOrganisationFactory,
    PartnershipFactory,
    RequirementFactory,
    SupplierFactory,
    SupplierMemberFactory,
)
from tests.partners.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_endpoints(settings):
    settings.WEBHOOK_ALLOW_LOCAL = True
    settings.WEBHOOK_BACKOFF_SECONDS = 0


def _endpoint(receiver: Receiver, *events: str, partner=None, path: str = "/hook"):
    return endpoint_create(
        partner=partner or PartnerOrganisationFactory(),
        url=receiver.url + path,
        events=list(events),
        by=None,
    )


def _send_all() -> list[str]:
    return [delivery.delivery_send(pk) for pk in delivery.due_ids()]


def test_a_verified_supplier_is_posted_signed_to_the_endpoints_that_picked_it(
    django_capture_on_commit_callbacks,
):
    supplier = SupplierFactory(verification_status="unverified")
    with Receiver() as receiver:
        endpoint = _endpoint(receiver, SUPPLIER_VERIFIED)
        _endpoint(receiver, REQUIREMENT_PUBLISHED, path="/other")
        with django_capture_on_commit_callbacks(execute=True):
            verification_decide(firm=supplier, by=MinistryUserFactory(), decision="approved")

        assert _send_all() == ["delivered"]

    [request] = receiver.received
    assert request.path == "/hook"
    assert request.signed_with(endpoint.secret)
    assert not request.signed_with("whsec_someone-else")
    event = WebhookEvent.objects.get()
    assert request.headers["X-Rantai-Event-Id"] == str(event.pk)
    assert request.headers["X-Rantai-Event"] == SUPPLIER_VERIFIED
    assert request.json["id"] == str(event.pk)
    assert request.json["type"] == SUPPLIER_VERIFIED
    assert request.json["data"]["supplier"]["id"] == supplier.pk
    assert request.json["data"]["supplier"]["verification_status"] == "verified"
    sent = WebhookDelivery.objects.get()
    assert (sent.status, sent.attempts, sent.response_code) == ("delivered", 1, 200)
    assert sent.duration_ms is not None


def test_a_rejection_publishes_nothing(django_capture_on_commit_callbacks):
    supplier = SupplierFactory(verification_status="unverified")
    with Receiver() as receiver:
        _endpoint(receiver, SUPPLIER_VERIFIED)
        with django_capture_on_commit_callbacks(execute=True):
            verification_decide(
                firm=supplier, by=MinistryUserFactory(), decision="rejected", reason="NIB palsu"
            )
    assert not WebhookDelivery.objects.exists()


def test_contact_details_reach_only_the_partner_the_supplier_consented_to(
    django_capture_on_commit_callbacks,
):
    supplier = SupplierFactory(
        verification_status="unverified",
        contact_email="rahasia@umkm.example.id",
        contact_phone="081234567890",
    )
    owner = SupplierMemberFactory(supplier=supplier).user
    trusted, other = PartnerOrganisationFactory(), PartnerOrganisationFactory()
    consent_grant(supplier=supplier, partner=trusted, scope=PartnerConsent.Scope.CONTACT, by=owner)
    with Receiver() as receiver:
        _endpoint(receiver, SUPPLIER_VERIFIED, partner=trusted, path="/trusted")
        _endpoint(receiver, SUPPLIER_VERIFIED, partner=other, path="/other")
        with django_capture_on_commit_callbacks(execute=True):
            verification_decide(firm=supplier, by=MinistryUserFactory(), decision="approved")
        _send_all()

    by_path = {request.path: request for request in receiver.received}
    consented = by_path["/trusted"].json["data"]["supplier"]
    assert consented["contact_visible"] is True
    assert consented["contact"]["contact_email"] == "rahasia@umkm.example.id"
    assert consented["contact"]["nib"] == supplier.nib
    assert by_path["/other"].json["data"]["supplier"]["contact"] is None
    assert b"rahasia@umkm.example.id" not in by_path["/other"].body
    assert supplier.nib.encode() not in by_path["/other"].body
    record = AuditRecord.objects.get(action=AuditRecord.Action.API_PRIVATE_READ)
    assert (record.object_kind, record.object_id) == ("supplier", supplier.pk)
    assert trusted.name in record.actor_label


def test_a_retry_after_the_consent_is_withdrawn_carries_no_contact_details(
    django_capture_on_commit_callbacks,
):
    supplier = SupplierFactory(verification_status="unverified", contact_email="cv@umkm.id")
    owner = SupplierMemberFactory(supplier=supplier).user
    bank = PartnerOrganisationFactory()
    consent_grant(supplier=supplier, partner=bank, scope=PartnerConsent.Scope.CONTACT, by=owner)
    with Receiver([500, 200]) as receiver:
        _endpoint(receiver, SUPPLIER_VERIFIED, partner=bank)
        with django_capture_on_commit_callbacks(execute=True):
            verification_decide(firm=supplier, by=MinistryUserFactory(), decision="approved")
        assert _send_all() == ["retry"]
        consent_revoke(
            supplier=supplier, partner=bank, scope=PartnerConsent.Scope.CONTACT, by=owner
        )
        assert _send_all() == ["delivered"]

    first, retry = receiver.received
    assert first.json["data"]["supplier"]["contact"]["contact_email"] == "cv@umkm.id"
    assert retry.json["data"]["supplier"]["contact"] is None
    assert b"cv@umkm.id" not in retry.body
    assert first.headers["X-Rantai-Event-Id"] == retry.headers["X-Rantai-Event-Id"]


def test_an_accepted_introduction_names_the_supplier_only_with_its_partnerships_consent(
    django_capture_on_commit_callbacks,
):
    introduction = IntroductionFactory()
    umkm = SupplierMemberFactory(supplier=introduction.supplier).user
    trusted, other = PartnerOrganisationFactory(), PartnerOrganisationFactory()
    consent_grant(
        supplier=introduction.supplier,
        partner=trusted,
        scope=PartnerConsent.Scope.PARTNERSHIPS,
        by=umkm,
    )
    with Receiver() as receiver:
        _endpoint(receiver, INTRODUCTION_ACCEPTED, partner=trusted, path="/trusted")
        _endpoint(receiver, INTRODUCTION_ACCEPTED, partner=other, path="/other")
        with django_capture_on_commit_callbacks(execute=True):
            introduction_accept(introduction=introduction, by=umkm)
        _send_all()

    by_path = {request.path: request.json["data"]["introduction"] for request in receiver.received}
    assert by_path["/trusted"]["supplier"] == introduction.supplier_id
    assert by_path["/trusted"]["status"] == "accepted"
    assert by_path["/other"]["supplier"] is None
    assert by_path["/other"]["id"] == introduction.pk
    assert by_path["/other"]["requirement"] == introduction.requirement_id


def test_a_published_requirement_and_a_stage_change_are_announced(
    django_capture_on_commit_callbacks,
):
    member = ManufacturerMemberFactory()
    requirement = RequirementFactory(manufacturer=member.manufacturer)
    partnership = PartnershipFactory()
    buyer = ManufacturerMemberFactory(
        manufacturer=partnership.introduction.requirement.manufacturer
    ).user
    with Receiver() as receiver:
        _endpoint(receiver, REQUIREMENT_PUBLISHED, PARTNERSHIP_STAGE_CHANGED)
        with django_capture_on_commit_callbacks(execute=True):
            requirement_publish(requirement=requirement, by=member.user)
            partnership_update(partnership=partnership, by=buyer, stage="contract")
            partnership_update(partnership=partnership, by=buyer, notes="only notes: no event")
        assert _send_all() == ["delivered", "delivered"]

    by_type = {request.json["type"]: request.json for request in receiver.received}
    published, changed = by_type[REQUIREMENT_PUBLISHED], by_type[PARTNERSHIP_STAGE_CHANGED]
    assert published["type"] == REQUIREMENT_PUBLISHED
    assert published["data"]["requirement"]["id"] == requirement.pk
    assert published["data"]["requirement"]["status"] == "open"
    assert changed["type"] == PARTNERSHIP_STAGE_CHANGED
    assert (changed["data"]["stage_from"], changed["data"]["stage_to"]) == (
        "in_discussion",
        "contract",
    )
    assert changed["data"]["partnership"]["supplier"] is None  # no consent
    assert changed["data"]["partnership"]["contract_value_idr"] is None


@pytest.mark.django_db(transaction=True)
def test_an_award_published_by_another_service_is_delivered_once_its_transaction_commits(
    reference_data,
):
    introduction = IntroductionFactory(status="accepted")
    quotation = Quotation.objects.create(
        introduction=introduction,
        requirement=introduction.requirement,
        supplier=introduction.supplier,
        status="awarded",
        awarded_quantity=1000,
        awarded_value_idr=5_000_000,
        decided_at=timezone.now(),
    )
    with Receiver() as receiver:
        _endpoint(receiver, QUOTATION_AWARDED)
        with transaction.atomic():
            publish(QUOTATION_AWARDED, quotation_id=quotation.pk)
            # The delivery is saved with the award (an outbox row), sent only after the commit.
            assert WebhookDelivery.objects.count() == 1
            assert receiver.received == []
        assert _send_all() == ["delivered"]

    [request] = receiver.received
    award = request.json["data"]["award"]
    assert (award["quotation"], award["requirement"]) == (quotation.pk, quotation.requirement_id)
    assert award["supplier"] is None and award["awarded_quantity"] is None
    assert b"5000000" not in request.body  # never a price


@pytest.mark.django_db(transaction=True)
def test_an_event_rolled_back_is_never_sent(reference_data):
    supplier = SupplierFactory()
    with Receiver() as receiver:
        _endpoint(receiver, SUPPLIER_VERIFIED)
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(SUPPLIER_VERIFIED, supplier_id=supplier.pk)
            raise RuntimeError("rolled back")
    assert not WebhookEvent.objects.exists()


def test_requirements_published_by_an_import_are_announced_like_any_other(
    tmp_path, django_capture_on_commit_callbacks
):
    from manufacturers.models import Requirement
    from tests.factories import ManufacturerFactory
    from tests.manufacturers.test_import import _good_rows, _run, _write

    ManufacturerFactory(name="PT Garuda Motor")
    with Receiver() as receiver:
        _endpoint(receiver, REQUIREMENT_PUBLISHED)
        with django_capture_on_commit_callbacks(execute=True):
            output, error = _run(_write(tmp_path, _good_rows()))
        assert error is None, output
        assert _send_all() == ["delivered"] * 3

    announced = {request.json["data"]["requirement"]["id"] for request in receiver.received}
    assert announced == set(Requirement.objects.open().values_list("pk", flat=True))
