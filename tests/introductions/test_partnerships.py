"""Partnerships: created from accepted introductions, stages move forward, history is kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification, OutboxEmail
from introductions import partnerships as ps
from introductions import selectors
from introductions import services as intro
from introductions.models import Partnership, SupplierSizeRecord
from suppliers.models import PartnershipPattern, SizeClass
from tests.factories import ManufacturerMemberFactory, SupplierMemberFactory

pytestmark = pytest.mark.django_db

Stage = Partnership.Stage


@pytest.fixture
def accepted(pair):
    introduction = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    return intro.introduction_accept(introduction=introduction, by=pair.umkm)


def test_a_partnership_needs_an_accepted_introduction(pair):
    introduction = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    with pytest.raises(ValidationError):
        ps.partnership_create(introduction=introduction, by=pair.buyer)


def test_either_side_can_create_but_no_one_else(pair, accepted):
    for outsider in (SupplierMemberFactory().user, ManufacturerMemberFactory().user):
        with pytest.raises(PermissionDenied):
            ps.partnership_create(introduction=accepted, by=outsider)
    pattern = PartnershipPattern.objects.order_by("code").first()
    partnership = ps.partnership_create(introduction=accepted, by=pair.umkm, pattern=pattern)
    assert partnership.stage == Stage.IN_DISCUSSION
    event = partnership.events.get()
    assert event.actor == pair.umkm and event.changes["pattern"] == [None, pattern.code]
    assert Notification.objects.filter(user=pair.buyer, kind="partnership_updated").exists()
    with pytest.raises(ValidationError):
        ps.partnership_create(introduction=accepted, by=pair.buyer)


def test_stages_move_forward_and_every_change_is_kept(pair, accepted):
    partnership = ps.partnership_create(introduction=accepted, by=pair.buyer)
    ps.partnership_update(partnership=partnership, by=pair.umkm, stage=Stage.SAMPLE_TRIAL)
    ps.partnership_update(
        partnership=partnership,
        by=pair.buyer,
        stage=Stage.CONTRACT,
        contract_value_idr=250_000_000,
        start_date=date(2026, 1, 5),
        technology_transfer=True,
    )
    partnership.refresh_from_db()
    assert partnership.stage == Stage.CONTRACT
    history = [e.changes for e in partnership.events.all()]
    assert history[1] == {"stage": ["in_discussion", "sample_trial"]}
    assert history[2] == {
        "stage": ["sample_trial", "contract"],
        "contract_value_idr": [None, 250_000_000],
        "start_date": [None, "2026-01-05"],
        "technology_transfer": [False, True],
    }
    # The other side of each change was told by e-mail.
    assert OutboxEmail.objects.filter(template="partnership_updated").count() == 3


def test_an_update_that_changes_nothing_records_nothing(pair, accepted):
    partnership = ps.partnership_create(introduction=accepted, by=pair.buyer)
    ps.partnership_update(partnership=partnership, by=pair.buyer, stage=Stage.IN_DISCUSSION)
    assert partnership.events.count() == 1


def test_stages_never_move_back(pair, accepted):
    partnership = ps.partnership_create(introduction=accepted, by=pair.buyer)
    ps.partnership_update(partnership=partnership, by=pair.buyer, stage=Stage.CONTRACT)
    with pytest.raises(ValidationError) as excinfo:
        ps.partnership_update(partnership=partnership, by=pair.buyer, stage=Stage.SAMPLE_TRIAL)
    assert "stage" in excinfo.value.error_dict


def test_ending_needs_a_reason_and_is_final(pair, accepted):
    partnership = ps.partnership_create(introduction=accepted, by=pair.buyer)
    with pytest.raises(ValidationError) as excinfo:
        ps.partnership_update(partnership=partnership, by=pair.umkm, stage=Stage.ENDED)
    assert "ended_reason" in excinfo.value.error_dict
    ps.partnership_update(
        partnership=partnership, by=pair.umkm, stage=Stage.ENDED, ended_reason="Price too low"
    )
    with pytest.raises(ValidationError):
        ps.partnership_update(partnership=partnership, by=pair.umkm, stage=Stage.ACTIVE)


def test_outsiders_cannot_update(pair, accepted):
    partnership = ps.partnership_create(introduction=accepted, by=pair.buyer)
    with pytest.raises(PermissionDenied):
        ps.partnership_update(
            partnership=partnership, by=SupplierMemberFactory().user, stage=Stage.CONTRACT
        )


def test_size_class_history_shows_moving_up(pair, accepted):
    small, medium = SizeClass.objects.order_by("rank")[:2]
    ps.partnership_create(introduction=accepted, by=pair.buyer)
    baseline = SupplierSizeRecord.objects.get(supplier=pair.supplier)  # recorded at the start
    assert baseline.size_class == pair.supplier.size_class
    ps.supplier_size_record(
        supplier=pair.supplier,
        size_class=small,
        revenue_band="up_to_2b",
        valid_from=date(2024, 1, 1),
    )
    ps.supplier_size_record(
        supplier=pair.supplier,
        size_class=medium,
        revenue_band="2b_15b",
        valid_from=date(2099, 1, 1),
    )
    assert selectors.supplier_size_on(pair.supplier, date(2025, 6, 1)).size_class == small
    assert selectors.supplier_moved_up(pair.supplier, date(2025, 1, 1), date(2099, 6, 1))
    assert not selectors.supplier_moved_up(pair.supplier, date(2025, 1, 1), date(2025, 6, 1))
    with pytest.raises(ValidationError):
        ps.supplier_size_record(
            supplier=pair.supplier, size_class=small, revenue_band="huge", valid_from=date.today()
        )
