"""Moving the partner models from accounts to the partners app (issue 10) keeps every row: a
database at the state before the move (accounts 0003, partners not yet migrated), holding a
partner, its keys, consents and a managed supplier, is migrated forward and every row is found
through ``partners.models`` with its links intact."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from partners.models import ApiKey, PartnerConsent, PartnerManagedSupplier, PartnerOrganisation
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0003_partner_api"), ("partners", None)]
MOVED = ("apikey", "partnerconsent", "partnermanagedsupplier", "partnerorganisation")


def _migrate(targets) -> None:
    # A fresh executor each time: the graph and the applied set are read when it is made.
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _fill_old_database() -> dict:
    """Rows written the way the code before the move wrote them: through accounts' models."""
    old = MigrationExecutor(connection).loader.project_state(BEFORE[0]).apps
    User = old.get_model("accounts", "User")
    Supplier = old.get_model("suppliers", "Supplier")
    Partner = old.get_model("accounts", "PartnerOrganisation")
    ApiKey = old.get_model("accounts", "ApiKey")
    Consent = old.get_model("accounts", "PartnerConsent")
    Managed = old.get_model("accounts", "PartnerManagedSupplier")
    OldContentType = old.get_model("contenttypes", "ContentType")

    admin = User.objects.create(email="admin@rantai.example.id", role="admin", password="!")
    owner = User.objects.create(email="owner@umkm.example.id", role="umkm", password="!")
    supplier = Supplier.objects.create(legal_name="CV Logam Jaya", nib="1234567890123")
    bank = Partner.objects.create(name="Bank Contoh", kind="bank")
    association = Partner.objects.create(name="Asosiasi Komponen", kind="association")
    keys = [
        ApiKey.objects.create(
            partner=bank,
            name="reporting",
            prefix="aaaaaaaaaaaa",
            hashed_key="a" * 64,
            scopes=["suppliers:read", "stats:read"],
            created_by=admin,
        ),
        ApiKey.objects.create(
            partner=bank,
            prefix="bbbbbbbbbbbb",
            hashed_key="b" * 64,
            scopes=["partnerships:read"],
            rate_per_minute=30,
            revoked_at=timezone.now(),
        ),
        ApiKey.objects.create(
            partner=association,
            prefix="cccccccccccc",
            hashed_key="c" * 64,
            scopes=["suppliers:write"],
        ),
    ]
    revoked = Consent.objects.create(
        supplier=supplier,
        partner=bank,
        scope="contact",
        granted_by=owner,
        revoked_at=timezone.now(),
        revoked_by=owner,
    )
    active = Consent.objects.create(
        supplier=supplier, partner=bank, scope="contact", granted_by=owner
    )
    managed = Managed.objects.create(partner=association, supplier=supplier)
    content_types = {
        model: OldContentType.objects.get_or_create(app_label="accounts", model=model)[0].pk
        for model in MOVED
    }
    return {
        "admin": admin.pk,
        "owner": owner.pk,
        "supplier": supplier.pk,
        "bank": bank.pk,
        "association": association.pk,
        "keys": [key.pk for key in keys],
        "consents": [revoked.pk, active.pk],
        "managed": managed.pk,
        "content_types": content_types,
    }


def test_every_partner_row_survives_the_move_to_the_partners_app():
    try:
        _migrate(BEFORE)
        old = _fill_old_database()
        _migrate(None)

        bank = PartnerOrganisation.objects.get(pk=old["bank"])
        association = PartnerOrganisation.objects.get(pk=old["association"])
        assert (bank.name, bank.kind) == ("Bank Contoh", "bank")
        assert (association.name, association.kind) == ("Asosiasi Komponen", "association")

        keys = {key.pk: key for key in ApiKey.objects.select_related("partner", "created_by")}
        assert sorted(keys) == sorted(old["keys"])
        reporting, revoked_key, writer = (keys[pk] for pk in old["keys"])
        assert reporting.partner == bank and reporting.created_by.pk == old["admin"]
        assert reporting.scopes == ["suppliers:read", "stats:read"]
        assert reporting.has_scope("stats:read") and reporting.is_active
        assert revoked_key.rate_per_minute == 30 and not revoked_key.is_active
        assert writer.partner == association
        assert set(bank.api_keys.values_list("pk", flat=True)) == set(old["keys"][:2])

        supplier = Supplier.objects.get(pk=old["supplier"])
        consents = list(supplier.partner_consents.order_by("pk"))
        assert [consent.pk for consent in consents] == old["consents"]
        assert all(consent.partner == bank for consent in consents)
        assert all(consent.granted_by.pk == old["owner"] for consent in consents)
        assert [consent.is_active for consent in consents] == [False, True]
        assert consents[0].revoked_by == User.objects.get(pk=old["owner"])

        managed = PartnerManagedSupplier.objects.get(pk=old["managed"])
        assert (managed.partner, managed.supplier) == (association, supplier)
        assert list(supplier.managing_partners.all()) == [managed]

        # Same tables, same constraints: the one-active-consent rule still holds in the database.
        assert PartnerConsent._meta.db_table == "accounts_partnerconsent"
        with pytest.raises(IntegrityError), transaction.atomic():
            PartnerConsent.objects.create(supplier=supplier, partner=bank, scope="contact")

        # The content types (and with them permissions and admin history) moved along.
        for model in MOVED:
            moved = ContentType.objects.get(pk=old["content_types"][model])
            assert (moved.app_label, moved.model) == ("partners", model)
            assert not ContentType.objects.filter(app_label="accounts", model=model).exists()
        assert ContentType.objects.get_for_model(ApiKey).pk == old["content_types"]["apikey"]
    finally:
        # Whatever failed above, the tests after this one find the database at its latest state.
        _migrate(None)
