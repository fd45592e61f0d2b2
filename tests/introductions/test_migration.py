"""Moving introductions, partnerships and size records from matchmaking into their own app keeps
every row: a database at the previous migration state, holding all five kinds of rows, is
migrated forward and each row is found through the new models, with its links and its content
type (so permissions and admin history carry over)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import ManufacturerMemberFactory, RequirementFactory, SupplierMemberFactory

BEFORE = [("matchmaking", "0003_match_indexes_readiness_summary"), ("introductions", None)]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def firms(transactional_db):
    """A buyer with an open requirement and an UMKM. Their tables are not part of the move, so
    they are made at the latest state, before the database is taken back."""
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():  # an earlier transactional test flushed it
        load_reference_data(apps)
    buyer = ManufacturerMemberFactory(manufacturer__verification_status="verified")
    requirement = RequirementFactory(manufacturer=buyer.manufacturer, status="open")
    umkm = SupplierMemberFactory()
    return buyer.user, umkm.user, requirement, umkm.supplier


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied migrations as now recorded
    return executor


def _fill_old_tables(old_apps, buyer, umkm, requirement, supplier) -> dict[str, int]:
    """The rows as the previous code wrote them, through the models of that migration state."""
    Introduction = old_apps.get_model("matchmaking", "Introduction")
    IntroductionEvent = old_apps.get_model("matchmaking", "IntroductionEvent")
    Partnership = old_apps.get_model("matchmaking", "Partnership")
    PartnershipEvent = old_apps.get_model("matchmaking", "PartnershipEvent")
    SupplierSizeRecord = old_apps.get_model("matchmaking", "SupplierSizeRecord")
    SizeClass = old_apps.get_model("suppliers", "SizeClass")
    PartnershipPattern = old_apps.get_model("suppliers", "PartnershipPattern")

    now = timezone.now()
    accepted = Introduction.objects.create(
        requirement_id=requirement.pk,
        supplier_id=supplier.pk,
        direction="buyer_request",
        score=81.5,
        message="Kami tertarik.",
        status="accepted",
        requested_by_id=buyer.pk,
        requested_at=now - timedelta(days=20),
        expires_at=now - timedelta(days=6),
        decided_at=now - timedelta(days=18),
        decided_by_id=umkm.pk,
    )
    waiting = Introduction.objects.create(
        requirement_id=RequirementFactory(manufacturer=requirement.manufacturer).pk,
        supplier_id=supplier.pk,
        direction="umkm_interest",
        status="requested",
        requested_by_id=umkm.pk,
        requested_at=now,
        expires_at=now + timedelta(days=14),
    )
    IntroductionEvent.objects.create(
        introduction=accepted, actor_id=buyer.pk, to_status="requested"
    )
    IntroductionEvent.objects.create(
        introduction=accepted, actor_id=umkm.pk, from_status="requested", to_status="accepted"
    )
    IntroductionEvent.objects.create(introduction=waiting, actor_id=umkm.pk, to_status="requested")
    partnership = Partnership.objects.create(
        introduction=accepted,
        pattern=PartnershipPattern.objects.order_by("code").first(),
        stage="contract",
        contract_value_idr=750_000_000,
        start_date=date(2026, 3, 1),
        technology_transfer=True,
        created_by_id=buyer.pk,
    )
    PartnershipEvent.objects.create(
        partnership=partnership, actor_id=buyer.pk, changes={"stage": [None, "in_discussion"]}
    )
    PartnershipEvent.objects.create(
        partnership=partnership, actor_id=umkm.pk, changes={"stage": ["in_discussion", "contract"]}
    )
    small, medium = SizeClass.objects.order_by("rank")[:2]
    SupplierSizeRecord.objects.create(
        supplier_id=supplier.pk, size_class=small, valid_from=date(2025, 1, 1)
    )
    SupplierSizeRecord.objects.create(
        supplier_id=supplier.pk,
        size_class=medium,
        revenue_band="2b_15b",
        valid_from=date(2026, 6, 1),
        recorded_by_id=umkm.pk,
    )
    return {
        "accepted": accepted.pk,
        "waiting": waiting.pk,
        "partnership": partnership.pk,
        "pattern": partnership.pattern_id,
        "small": small.pk,
        "medium": medium.pk,
    }


def test_every_row_survives_the_move_to_the_introductions_app(firms):
    buyer, umkm, requirement, supplier = firms
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    content_type = ContentType.objects.get_by_natural_key("introductions", "introduction")
    try:
        executor = _migrate(BEFORE)
        assert ("introductions", "0001_initial") not in executor.loader.applied_migrations
        # Going back relabels the content type, as the previous code had it.
        assert ContentType.objects.filter(
            pk=content_type.pk, app_label="matchmaking", model="introduction"
        ).exists()
        old_apps = executor.loader.project_state(BEFORE[0]).apps
        ids = _fill_old_tables(old_apps, buyer, umkm, requirement, supplier)
    finally:
        # Forward to the latest state: the step under test, and whatever happened above, the
        # state the next tests expect.
        _migrate(latest)
        ContentType.objects.clear_cache()

    from introductions.models import (
        Introduction,
        IntroductionEvent,
        Partnership,
        PartnershipEvent,
        SupplierSizeRecord,
    )

    assert Introduction.objects.count() == 2
    accepted = Introduction.objects.get(pk=ids["accepted"])
    assert (accepted.requirement, accepted.supplier) == (requirement, supplier)
    assert (accepted.status, accepted.direction, accepted.score) == (
        "accepted",
        "buyer_request",
        81.5,
    )
    assert (accepted.message, accepted.requested_by, accepted.decided_by) == (
        "Kami tertarik.",
        buyer,
        umkm,
    )
    waiting = Introduction.objects.get(pk=ids["waiting"])
    assert (waiting.status, waiting.direction) == ("requested", "umkm_interest")

    assert IntroductionEvent.objects.count() == 3
    assert [(e.from_status, e.to_status, e.actor) for e in accepted.events.all()] == [
        ("", "requested", buyer),
        ("requested", "accepted", umkm),
    ]
    assert waiting.events.get().to_status == "requested"

    assert Partnership.objects.count() == 1
    partnership = accepted.partnership
    assert partnership.pk == ids["partnership"]
    assert partnership.pattern_id == ids["pattern"]
    assert (partnership.stage, partnership.contract_value_idr) == ("contract", 750_000_000)
    assert (partnership.start_date, partnership.technology_transfer) == (date(2026, 3, 1), True)
    assert PartnershipEvent.objects.count() == 2
    assert [e.changes for e in partnership.events.all()] == [
        {"stage": [None, "in_discussion"]},
        {"stage": ["in_discussion", "contract"]},
    ]

    assert SupplierSizeRecord.objects.count() == 2
    records = list(supplier.size_records.order_by("valid_from"))
    assert [r.size_class_id for r in records] == [ids["small"], ids["medium"]]
    assert (records[1].revenue_band, records[1].recorded_by) == ("2b_15b", umkm)

    # The content type, and so the permissions that point at it, are the same rows as before.
    moved = ContentType.objects.get_by_natural_key("introductions", "introduction")
    assert moved.pk == content_type.pk
    assert not ContentType.objects.filter(app_label="matchmaking", model="introduction").exists()
    assert Permission.objects.filter(content_type=moved, codename="view_introduction").exists()

    # The constraints are still in force, and new rows follow the old ones.
    fields = {
        "requirement": waiting.requirement,
        "supplier": supplier,
        "direction": "buyer_request",
        "expires_at": timezone.now() + timedelta(days=14),
    }
    with (
        pytest.raises(IntegrityError, match="introduction_one_open_per_pair"),
        transaction.atomic(),
    ):
        Introduction.objects.create(**fields)
    assert Introduction.objects.create(**fields, status="declined").pk > ids["waiting"]
