"""Moving the verification decisions from reports to suppliers (issue 12) keeps every row: a
database at the state before the move, holding decisions, is migrated forward and every decision
is found through ``suppliers.models`` with its decider, reason and constraint intact."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from suppliers.models import VerificationDecision

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0002_dashboard_facts"), ("suppliers", "0003_certificate_documents_private")]


def _migrate(targets) -> None:
    # A fresh executor each time: the graph and the applied set are read when it is made.
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _fill_old_database() -> dict:
    """Rows written the way the code before the move wrote them: through reports' model."""
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Decision = old.get_model("reports", "VerificationDecision")
    OldContentType = old.get_model("contenttypes", "ContentType")
    ministry = User.objects.create(email="rina@kementerian.example.id", role="ministry")
    approved = Decision.objects.create(
        decided_by=ministry,
        decided_at=timezone.now(),
        firm_kind="supplier",
        firm_id=7,
        firm_name="CV Logam Jaya",
        decision="approved",
        status_before="unverified",
        status_after="verified",
    )
    rejected = Decision.objects.create(
        decided_by=ministry,
        firm_kind="manufacturer",
        firm_id=3,
        firm_name="PT Motor",
        decision="rejected",
        reason="NPWP does not match",
        status_before="unverified",
        status_after="rejected",
    )
    content_type = OldContentType.objects.get_or_create(
        app_label="reports", model="verificationdecision"
    )[0]
    return {
        "ministry": ministry.pk,
        "decisions": [approved.pk, rejected.pk],
        "content_type": content_type.pk,
    }


def test_every_decision_survives_the_move_to_the_suppliers_app():
    try:
        _migrate(BEFORE)
        old = _fill_old_database()
        _migrate(None)

        decisions = list(VerificationDecision.objects.order_by("pk"))
        assert [d.pk for d in decisions] == old["decisions"]
        approved, rejected = decisions
        assert approved.decided_by.pk == old["ministry"]
        assert (approved.firm_kind, approved.firm_id, approved.firm_name) == (
            "supplier",
            7,
            "CV Logam Jaya",
        )
        assert approved.snapshot == {}  # decided before details were kept
        assert (rejected.decision, rejected.reason) == ("rejected", "NPWP does not match")

        # Same table, same constraint: a rejection still needs a reason in the database.
        assert VerificationDecision._meta.db_table == "reports_verificationdecision"
        with pytest.raises(IntegrityError), transaction.atomic():
            VerificationDecision.objects.create(
                decided_by=approved.decided_by,
                firm_kind="supplier",
                firm_id=8,
                firm_name="CV Tanpa Alasan",
                decision="rejected",
                status_before="unverified",
                status_after="rejected",
            )

        # The content type (and with it permissions and admin history) moved along.
        moved = ContentType.objects.get(pk=old["content_type"])
        assert (moved.app_label, moved.model) == ("suppliers", "verificationdecision")
        assert ContentType.objects.get_for_model(VerificationDecision).pk == old["content_type"]
    finally:
        # Whatever failed above, the tests after this one find the database at its latest state.
        _migrate(None)
