"""Account deletion (UU PDP: the right to erasure): the person's data goes, the firm stays."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.utils import InternalError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord, Notification, OutboxEmail, PrivacyConsent, User
from accounts.outbox import email_queue, notify
from accounts.privacy import user_erase
from accounts.services import email_address_mark_verified
from introductions.models import Introduction, IntroductionEvent, Partnership, PartnershipEvent
from introductions.partnerships import partnership_create, partnership_update
from manufacturers.models import ManufacturerInvitation, ManufacturerMember
from suppliers.models import Supplier, SupplierMember
from tests.factories import (
    IntroductionFactory,
    ManufacturerMemberFactory,
    SupplierMemberFactory,
    UmkmUserFactory,
)
from tests.introductions.factories import make_pair

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _owner(**supplier) -> User:
    membership = SupplierMemberFactory(
        user__full_name="Siti Rahayu",
        user__email="siti@umkm.example.id",
        supplier__contact_name="Siti Rahayu",
        supplier__contact_email="siti@sinarkabel.example",
        supplier__contact_phone="+6281298765432",
        **{f"supplier__{k}": v for k, v in supplier.items()},
    )
    email_address_mark_verified(user=membership.user)
    return membership.user


def test_deleting_the_account_erases_the_person_and_blocks_log_in(client):
    user = _owner()
    supplier = user.supplier_membership.supplier
    notify(
        user=user, kind="intro_requested", params={"buyer": "PT X", "requirement": "R"}, key="k1"
    )
    email_queue(user=user, template="intro_requested", context={"name": "Siti"}, key="k2")
    client.force_login(user)

    response = client.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.erased_at is not None
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert user.full_name == ""
    assert not user.is_active and not user.has_usable_password()
    assert user.get_full_name() in ("Deleted user", "Pengguna yang dihapus")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert not OutboxEmail.objects.filter(recipient__icontains="siti").exists()
    assert not SupplierMember.objects.filter(user=user).exists()
    # The firm stays, without the person's contact details (they were its last member).
    supplier.refresh_from_db()
    assert (supplier.contact_name, supplier.contact_email, supplier.contact_phone) == ("", "", "")
    # Logged out, and the old credentials no longer work.
    assert "_auth_user_id" not in client.session
    assert not client.login(email="siti@umkm.example.id", password=PASSWORD)
    # An audit line, with ids only.
    record = AuditRecord.objects.get(action=AuditRecord.Action.ACCOUNT_ERASED)
    assert (record.actor_id, record.object_kind, record.object_id) == (user.pk, "user", user.pk)


def test_deletion_needs_the_right_password(client):
    user = _owner()
    client.force_login(user)

    response = client.post(reverse("account_delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.erased_at is None and user.is_active
    assert SupplierMember.objects.filter(user=user).exists()


def test_other_sessions_of_the_account_end(client):
    user = _owner()
    other_browser = client.__class__()
    other_browser.force_login(user)
    user_erase(user=user, password=PASSWORD)

    response = other_browser.get(reverse("account_profile"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_page_says_what_happens_to_the_last_members_firm(client):
    user = _owner(legal_name="CV Sinar Kabel Nusantara")
    client.force_login(user)

    response = client.get(reverse("account_delete"))

    assert response.status_code == 200
    assert b'data-testid="last-member"' in response.content
    assert "CV Sinar Kabel Nusantara" in response.content.decode()


def test_the_longest_standing_member_becomes_owner_and_the_contacts_stay():
    user = _owner()
    supplier = user.supplier_membership.supplier
    Supplier.objects.filter(pk=supplier.pk).update(
        contact_name="Andi Wijaya", contact_email="andi@sinarkabel.example"
    )
    first = SupplierMemberFactory(supplier=supplier, role="staff")
    SupplierMemberFactory(supplier=supplier, role="staff")

    user_erase(user=user)

    first.refresh_from_db()
    assert first.role == SupplierMember.Role.OWNER
    assert SupplierMember.objects.filter(supplier=supplier, role="owner").count() == 1
    supplier.refresh_from_db()
    assert supplier.contact_email == "andi@sinarkabel.example"


def test_a_firm_that_names_the_person_as_contact_loses_those_fields():
    user = UmkmUserFactory(email="dewi@example.id")
    listed = Supplier.objects.get(pk=SupplierMemberFactory().supplier_id)
    Supplier.objects.filter(pk=listed.pk).update(contact_email="Dewi@Example.id")

    user_erase(user=user)

    listed.refresh_from_db()
    assert (listed.contact_name, listed.contact_email, listed.contact_phone) == ("", "", "")


def test_a_buyers_last_owner_hands_over_and_invitations_to_the_person_go():
    owner = ManufacturerMemberFactory(role="owner")
    staff = ManufacturerMemberFactory(manufacturer=owner.manufacturer, role="staff")
    ManufacturerInvitation.objects.create(
        manufacturer=owner.manufacturer,
        email=owner.user.email.upper(),
        token="t" * 40,
        expires=timezone.now(),
    )

    user_erase(user=owner.user)

    staff.refresh_from_db()
    assert staff.role == ManufacturerMember.Role.OWNER
    assert not ManufacturerInvitation.objects.exists()


def test_what_the_person_wrote_is_erased_and_the_records_stay():
    pair = make_pair()
    introduction = IntroductionFactory(
        requirement=pair.requirement,
        supplier=pair.supplier,
        requested_by=pair.buyer,
        message="Please call me on +62 811 000 111",
        status="accepted",
        decided_by=pair.umkm,
    )
    IntroductionEvent.objects.create(
        introduction=introduction, actor=pair.buyer, to_status="requested", note="call me"
    )
    partnership = partnership_create(introduction=introduction, by=pair.buyer, notes="Budi's notes")
    partnership_update(partnership=partnership, by=pair.umkm, stage="sample_trial")
    partnership_update(
        partnership=partnership, by=pair.buyer, stage="ended", ended_reason="I moved jobs"
    )

    user_erase(user=pair.buyer)

    introduction.refresh_from_db()
    partnership.refresh_from_db()
    assert introduction.message == ""
    assert introduction.requested_by_id == pair.buyer.pk  # the placeholder
    assert not IntroductionEvent.objects.filter(note__contains="call").exists()
    assert partnership.notes == ""
    assert partnership.ended_reason == "—"
    assert partnership.stage == "ended"
    texts = str(list(PartnershipEvent.objects.values_list("changes", flat=True)))
    assert "Budi's notes" not in texts and "I moved jobs" not in texts
    assert Introduction.objects.count() == 1 and Partnership.objects.count() == 1


def test_the_consent_stays_without_the_connection_evidence():
    user = _owner()
    PrivacyConsent.objects.filter(user=user).update(ip_address="10.1.2.3", user_agent="Firefox")

    user_erase(user=user)

    consent = PrivacyConsent.objects.get(user=user)
    assert (consent.ip_address, consent.user_agent) == (None, "")


def test_sent_emails_to_others_forget_the_persons_address():
    user = _owner()
    other = UmkmUserFactory()
    email = email_queue(
        user=other, template="intro_accepted", context={"email": "Siti@UMKM.example.id"}, key="k"
    )
    OutboxEmail.objects.filter(pk=email.pk).update(status="sent", sent_at=timezone.now())

    user_erase(user=user)

    assert OutboxEmail.objects.get(pk=email.pk).context == {}


def test_a_wrong_password_changes_nothing():
    user = _owner()
    with pytest.raises(ValidationError):
        user_erase(user=user, password="wrong")
    assert User.objects.get(pk=user.pk).erased_at is None
    assert not AuditRecord.objects.exists()


def test_audit_records_cannot_be_changed_or_deleted():
    user = _owner()
    user_erase(user=user)
    record = AuditRecord.objects.get()
    for statement in (
        "UPDATE accounts_auditrecord SET object_id = 1 WHERE id = %s",
        "DELETE FROM accounts_auditrecord WHERE id = %s",
    ):
        with pytest.raises(InternalError), connection.cursor() as cursor:
            cursor.execute("SAVEPOINT audit_probe")
            try:
                cursor.execute(statement, [record.pk])
            finally:
                cursor.execute("ROLLBACK TO SAVEPOINT audit_probe")
    assert AuditRecord.objects.get().object_id == user.pk


def test_an_administrator_can_erase_an_account_on_request(client):
    from tests.factories import AdminUserFactory

    user = _owner()
    client.force_login(AdminUserFactory())

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "erase_accounts", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.erased_at is not None and not user.is_active


def test_the_address_is_free_for_a_new_sign_up_after_deletion(client):
    from .conftest import signup_data

    user = _owner()
    user_erase(user=user)

    response = client.post(reverse("account_signup"), signup_data(email="siti@umkm.example.id"))

    assert response.status_code == 302
    assert User.objects.filter(email="siti@umkm.example.id").exclude(pk=user.pk).exists()
