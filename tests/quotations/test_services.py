"""Submitting, revising, withdrawing, shortlisting, awarding and closing the round."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import events
from accounts.delivery import render_email
from accounts.models import Notification, OutboxEmail
from introductions import partnerships as ps
from introductions import services as intro
from introductions.models import Introduction, Partnership, Quotation, QuotationFile
from introductions.quotations import (
    quotation_award,
    quotation_round_close,
    quotation_shortlist,
    quotation_submit,
    quotation_withdraw,
)
from manufacturers.models import Requirement
from suppliers.models import PartnershipPattern
from tests.factories import (
    TINY_PDF,
    ManufacturerMemberFactory,
    SupplierCertificationFactory,
    SupplierMemberFactory,
)

from .conftest import offer

pytestmark = pytest.mark.django_db


def submit(introduction, user, **changes):
    uploads = changes.pop("uploads", ())
    drop = changes.pop("drop_file_ids", ())
    return quotation_submit(
        introduction=introduction,
        by=user,
        offer=offer(**changes),
        uploads=uploads,
        drop_file_ids=drop,
    )


def pdf(name="offer.pdf"):
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


# --- submit and revise ------------------------------------------------------------------------


def test_the_first_submit_creates_the_quotation_with_its_tiers_and_tells_the_buyer(round_):
    quotation = submit(round_.first, round_.pair.umkm)

    revision = quotation.revisions.get()
    assert revision.number == 1 and quotation.status == Quotation.Status.SUBMITTED
    assert quotation.requirement == round_.requirement
    assert [(t.min_quantity, t.unit_price_idr) for t in revision.tiers.all()] == [
        (1_000, 5_000),
        (10_000, 4_500),
        (40_000, 4_000),
    ]
    assert Notification.objects.filter(user=round_.buyer, kind="quotation_submitted").exists()
    email = OutboxEmail.objects.get(recipient=round_.buyer.email, template="quotation_submitted")
    message = render_email(email)
    assert "New quotation from" in message.subject and "5,000" not in message.body


def test_each_submit_adds_a_revision_and_keeps_the_earlier_ones(round_):
    submit(round_.first, round_.pair.umkm)
    quotation = submit(round_.first, round_.pair.umkm, unit_price_idr=4_900, tiers=[])

    assert list(quotation.revisions.values_list("number", "unit_price_idr")) == [
        (2, 4_900),
        (1, 5_000),
    ]
    assert OutboxEmail.objects.filter(template="quotation_revised").count() == 1


def test_it_refuses_anyone_but_the_suppliers_members(round_):
    for stranger in (round_.second_user, round_.buyer, SupplierMemberFactory().user):
        with pytest.raises(PermissionDenied):
            submit(round_.first, stranger)
    assert not Quotation.objects.exists()


def test_a_colleague_of_the_supplier_may_revise(round_):
    submit(round_.first, round_.pair.umkm)
    colleague = SupplierMemberFactory(supplier=round_.pair.supplier, role="staff").user
    assert submit(round_.first, colleague).revisions.count() == 2


def test_it_refuses_a_quotation_before_the_introduction_is_accepted(pair):
    waiting = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    with pytest.raises(ValidationError) as caught:
        submit(waiting, pair.umkm)
    assert caught.value.code == "not_quotable"


def test_an_interested_umkm_quotes_only_when_the_requirement_is_open_to_quotations(pair):
    interest = intro.introduction_express_interest(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
    )
    with pytest.raises(ValidationError):
        submit(interest, pair.umkm)
    Requirement.objects.filter(pk=pair.requirement.pk).update(quotes_open=True)
    interest.requirement.refresh_from_db()
    assert submit(interest, pair.umkm).introduction.status == Introduction.Status.REQUESTED


def test_it_refuses_bad_values_with_every_message_and_stores_nothing(round_):
    with pytest.raises(ValidationError) as caught:
        submit(
            round_.first,
            round_.pair.umkm,
            valid_until=date.today() - timedelta(days=1),
            tiers=[(20_000, 6_000)],
        )
    assert set(caught.value.message_dict) == {"valid_until", "tiers"}
    assert not Quotation.objects.exists()


def test_a_tkdn_certificate_fills_in_the_declared_local_content(round_):
    certificate = SupplierCertificationFactory(
        supplier=round_.pair.supplier, cert_type_id="TKDN", local_content_pct=Decimal("45.00")
    )
    quotation = submit(round_.first, round_.pair.umkm, local_content_certificate=certificate)
    revision = quotation.revisions.get()
    assert revision.local_content_pct == Decimal("45.00")
    assert revision.local_content_certificate == certificate


def test_files_are_checked_kept_across_revisions_and_can_be_dropped(round_):
    fake = SimpleUploadedFile("drawing.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        submit(round_.first, round_.pair.umkm, uploads=[fake])
    assert "files" in caught.value.message_dict

    quotation = submit(round_.first, round_.pair.umkm, uploads=[pdf("price-list.pdf")])
    first_file = quotation.revisions.get().files.get()
    assert not first_file.file.name.endswith("price-list.pdf")  # never the uploaded name
    quotation = submit(round_.first, round_.pair.umkm, uploads=[pdf("spec.pdf")])
    second = quotation.revisions.get(number=2)
    names = sorted(second.files.values_list("original_name", flat=True))
    assert names == ["price-list.pdf", "spec.pdf"]
    kept = quotation.revisions.get(number=2).files.get(original_name="price-list.pdf")
    assert kept.file.name == first_file.file.name
    quotation = submit(round_.first, round_.pair.umkm, drop_file_ids=[kept.pk])
    assert list(
        quotation.revisions.get(number=3).files.values_list("original_name", flat=True)
    ) == ["spec.pdf"]
    assert QuotationFile.objects.count() == 4  # revisions 1 and 2 keep theirs


def test_no_quotation_is_taken_after_the_deadline(round_):
    Requirement.objects.filter(pk=round_.requirement.pk).update(
        quote_deadline=timezone.now() - timedelta(minutes=1)
    )
    round_.first.requirement.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        submit(round_.first, round_.pair.umkm)
    assert caught.value.code == "deadline_passed"


# --- withdraw and shortlist -------------------------------------------------------------------


def test_a_withdrawn_quotation_can_be_submitted_again(round_):
    quotation = submit(round_.first, round_.pair.umkm)
    quotation = quotation_withdraw(quotation=quotation, by=round_.pair.umkm)
    assert quotation.status == Quotation.Status.WITHDRAWN
    assert Notification.objects.filter(user=round_.buyer, kind="quotation_withdrawn").exists()
    with pytest.raises(PermissionDenied):
        quotation_withdraw(quotation=quotation, by=round_.buyer)
    quotation = submit(round_.first, round_.pair.umkm)
    assert quotation.status == Quotation.Status.SUBMITTED


def test_only_the_buyer_shortlists_and_only_after_the_deadline(round_):
    quotation = submit(round_.first, round_.pair.umkm)
    with pytest.raises(PermissionDenied):
        quotation_shortlist(quotation=quotation, by=round_.pair.umkm)
    with pytest.raises(PermissionDenied):
        quotation_shortlist(quotation=quotation, by=ManufacturerMemberFactory().user)
    Requirement.objects.filter(pk=round_.requirement.pk).update(
        quote_deadline=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        quotation_shortlist(quotation=quotation, by=round_.buyer)
    assert caught.value.code == "sealed"
    Requirement.objects.filter(pk=round_.requirement.pk).update(quote_deadline=None)
    assert quotation_shortlist(quotation=quotation, by=round_.buyer).status == "shortlisted"
    assert (
        quotation_shortlist(quotation=quotation, by=round_.buyer, shortlisted=False).status
        == "submitted"
    )


# --- award and close --------------------------------------------------------------------------


@pytest.fixture
def published(request):
    received = []

    def receiver(sender, name, data, **kwargs):
        received.append((name, data))

    events.domain_event.connect(receiver)
    request.addfinalizer(lambda: events.domain_event.disconnect(receiver))
    return received


def test_award_records_the_partnership_at_the_tier_price_and_tells_the_winner(
    round_, published, django_capture_on_commit_callbacks
):
    certificate = SupplierCertificationFactory(
        supplier=round_.pair.supplier, cert_type_id="TKDN", local_content_pct=Decimal("40.00")
    )
    quotation = submit(round_.first, round_.pair.umkm, local_content_certificate=certificate)
    pattern = PartnershipPattern.objects.order_by("code").first()
    with django_capture_on_commit_callbacks(execute=True):
        [partnership] = quotation_award(
            requirement=round_.requirement,
            by=round_.buyer,
            awards={quotation.pk: 12_000},
            pattern=pattern,
            start_date=date(2027, 3, 1),
        )

    assert partnership.introduction == round_.first
    assert partnership.stage == Partnership.Stage.CONTRACT
    assert partnership.contract_value_idr == 12_000 * 4_500
    assert partnership.awarded_quantity == 12_000 and partnership.awarded_at is not None
    assert partnership.local_content_pct == Decimal("40.00")
    assert partnership.start_date == date(2027, 3, 1) and partnership.pattern == pattern
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.AWARDED
    assert quotation.awarded_value_idr == 54_000_000 and quotation.decided_by == round_.buyer
    assert published == [
        ("quotation.awarded", {"quotation_id": quotation.pk, "partnership_id": partnership.pk})
    ]
    email = OutboxEmail.objects.get(recipient=round_.pair.umkm.email, template="quotation_awarded")
    assert email.language == "id" and email.context["value"] == 54_000_000
    assert partnership.events.get().changes["contract_value_idr"] == [None, 54_000_000]


def test_award_splits_the_volume_between_several_winners(round_):
    first = submit(round_.first, round_.pair.umkm)
    second = submit(round_.second, round_.second_user, unit_price_idr=5_200, tiers=[])
    partnerships = quotation_award(
        requirement=round_.requirement,
        by=round_.buyer,
        awards={first.pk: 30_000, second.pk: 20_000},
    )
    values = sorted(p.contract_value_idr for p in partnerships)
    assert values == sorted([30_000 * 4_500, 20_000 * 5_200])
    assert all(p.start_date == date.today() for p in partnerships)


@pytest.mark.parametrize(
    ("quantity", "code"),
    [(500, "below_minimum"), (50_001, "over_volume")],
)
def test_award_refuses_a_quantity_below_the_minimum_or_above_the_volume(round_, quantity, code):
    quotation = submit(round_.first, round_.pair.umkm)
    with pytest.raises(ValidationError) as caught:
        quotation_award(
            requirement=round_.requirement, by=round_.buyer, awards={quotation.pk: quantity}
        )
    assert caught.value.code == code
    assert not Partnership.objects.exists()


def test_award_refuses_an_expired_offer_naming_its_date_in_the_sites_format(round_):
    from introductions.models import QuotationRevision

    quotation = submit(round_.first, round_.pair.umkm)
    QuotationRevision.objects.filter(quotation=quotation).update(valid_until=date(2026, 3, 2))
    with pytest.raises(ValidationError) as caught:
        quotation_award(
            requirement=round_.requirement, by=round_.buyer, awards={quotation.pk: 5_000}
        )
    assert caught.value.code == "offer_expired"
    assert "expired on 2 Mar 2026." in caught.value.messages[0]


def test_award_is_for_the_buyers_members_and_not_while_sealed(round_):
    quotation = submit(round_.first, round_.pair.umkm)
    for stranger in (round_.pair.umkm, ManufacturerMemberFactory().user):
        with pytest.raises(PermissionDenied):
            quotation_award(
                requirement=round_.requirement, by=stranger, awards={quotation.pk: 5_000}
            )
    Requirement.objects.filter(pk=round_.requirement.pk).update(
        quote_deadline=timezone.now() + timedelta(hours=2)
    )
    with pytest.raises(ValidationError) as caught:
        quotation_award(
            requirement=round_.requirement, by=round_.buyer, awards={quotation.pk: 5_000}
        )
    assert caught.value.code == "sealed"


def test_award_advances_an_existing_partnership_and_refuses_an_ended_one(round_):
    first = submit(round_.first, round_.pair.umkm)
    second = submit(round_.second, round_.second_user)
    existing = ps.partnership_create(introduction=round_.first, by=round_.buyer)
    ended = ps.partnership_create(
        introduction=round_.second, by=round_.buyer, stage="ended", ended_reason="Moved away"
    )
    with pytest.raises(ValidationError) as caught:
        quotation_award(requirement=round_.requirement, by=round_.buyer, awards={second.pk: 5_000})
    assert caught.value.code == "partnership_ended"
    ended.refresh_from_db()
    assert ended.contract_value_idr is None

    [partnership] = quotation_award(
        requirement=round_.requirement, by=round_.buyer, awards={first.pk: 5_000}
    )
    assert partnership.pk == existing.pk and partnership.stage == "contract"
    assert partnership.events.count() == 2


def test_award_accepts_a_waiting_interest_through_the_introduction_service(pair):
    Requirement.objects.filter(pk=pair.requirement.pk).update(quotes_open=True)
    interest = intro.introduction_express_interest(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.umkm
    )
    quotation = submit(interest, pair.umkm)
    [partnership] = quotation_award(
        requirement=pair.requirement, by=pair.buyer, awards={quotation.pk: 2_000}
    )
    interest.refresh_from_db()
    assert interest.status == Introduction.Status.ACCEPTED and interest.decided_by == pair.buyer
    assert OutboxEmail.objects.filter(recipient=pair.umkm.email, template="intro_accepted").exists()
    assert partnership.contract_value_idr == 2_000 * 5_000


def test_closing_the_round_tells_the_others_politely_in_their_language(round_):
    winner = submit(round_.first, round_.pair.umkm)
    other = submit(round_.second, round_.second_user)
    quotation_award(requirement=round_.requirement, by=round_.buyer, awards={winner.pk: 10_000})

    told = quotation_round_close(requirement=round_.requirement, by=round_.buyer)

    assert told == 1
    other.refresh_from_db()
    assert other.status == Quotation.Status.NOT_AWARDED
    email = OutboxEmail.objects.get(template="quotation_not_awarded")
    assert email.recipient == round_.second_user.email and email.language == "en"
    message = render_email(email)
    assert message.subject == f"Not this time: “{round_.requirement.title}”"
    assert "Thank you for your quotation" in message.body
    assert not OutboxEmail.objects.filter(
        template="quotation_not_awarded", recipient=round_.pair.umkm.email
    ).exists()
    requirement = Requirement.objects.get(pk=round_.requirement.pk)
    assert requirement.is_closed and requirement.close_reason == "awarded"
    with pytest.raises(ValidationError):
        submit(round_.second, round_.second_user)  # decided: no revision


def test_closing_the_requirement_from_its_own_page_ends_the_round_too(round_):
    from manufacturers import services as requirement_services

    winner = submit(round_.first, round_.pair.umkm)
    other = submit(round_.second, round_.second_user)
    quotation_award(requirement=round_.requirement, by=round_.buyer, awards={winner.pk: 10_000})

    requirement_services.requirement_close(
        requirement=round_.requirement, by=round_.buyer, reason="awarded"
    )

    other.refresh_from_db()
    winner.refresh_from_db()
    assert other.status == Quotation.Status.NOT_AWARDED and other.decided_by is None
    assert winner.status == Quotation.Status.AWARDED
    assert OutboxEmail.objects.filter(
        template="quotation_not_awarded", recipient=round_.second_user.email
    ).exists()
