from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from manufacturers import services
from manufacturers.models import Manufacturer, ManufacturerMember, Requirement
from suppliers.models import CertificationType, ComponentCategory, Process, Province
from suppliers.verification import verification_decide
from tests.factories import TINY_PDF, RequirementFactory, UmkmUserFactory

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "reference": "RFQ-2026-001",
        "title": "Motor shaft",
        "component": ComponentCategory.objects.get(code="MOT.SHAFT"),
        "processes": list(Process.objects.filter(code__in=["CNC_TURN", "GRIND"])),
        "materials": [],
        "required_certifications": [CertificationType.objects.get(code="ISO9001")],
        "preferred_certifications": [],
        "annual_volume": 30_000,
        "target_price_min_idr": 85_000,
        "target_price_max_idr": 120_000,
        "needed_by": timezone.localdate() + timedelta(days=30),
        "delivery_province": Province.objects.get(code="36"),
        "min_local_content_pct": None,
        "description": "",
    }
    data.update(overrides)
    return data


def test_creating_a_manufacturer_makes_the_owner_a_member_and_leaves_it_unverified(new_buyer):
    manufacturer = services.manufacturer_create(
        owner=new_buyer, data={"name": "PT Baru", "kind": "tier1", "npwp": "01.234.567.8-901.000"}
    )
    assert manufacturer.verification_status == "unverified"
    assert manufacturer.npwp == "0012345678901000"
    assert new_buyer.manufacturer_membership.role == ManufacturerMember.Role.OWNER


def test_a_buyer_cannot_register_a_second_manufacturer(owner):
    with pytest.raises(ValidationError):
        services.manufacturer_create(owner=owner, data={"name": "PT Kedua"})
    assert not Manufacturer.objects.filter(name="PT Kedua").exists()


def test_an_umkm_member_cannot_register_a_manufacturer(umkm):
    with pytest.raises(ValidationError):
        services.manufacturer_create(owner=umkm, data={"name": "PT Campur"})


def test_only_ministry_staff_verify_and_a_rejection_needs_a_reason(manufacturer, owner, ministry):
    manufacturer.verification_status = "unverified"
    manufacturer.save()
    with pytest.raises(PermissionDenied):
        verification_decide(firm=manufacturer, by=owner, decision="approved")
    with pytest.raises(ValidationError):
        verification_decide(firm=manufacturer, by=ministry, decision="rejected", reason="  ")
    verification_decide(firm=manufacturer, by=ministry, decision="approved")
    manufacturer.refresh_from_db()
    assert manufacturer.is_verified and manufacturer.verified_by == ministry


def test_renaming_a_verified_manufacturer_sends_it_back_to_verification(manufacturer):
    services.manufacturer_update(manufacturer=manufacturer, data={"address": "Jl. Baru 1"})
    assert manufacturer.is_verified
    services.manufacturer_update(manufacturer=manufacturer, data={"name": "PT Nama Lain"})
    manufacturer.refresh_from_db()
    assert manufacturer.verification_status == "unverified"


def test_a_new_requirement_is_a_draft_with_its_lists(manufacturer, owner):
    requirement = services.requirement_create(
        manufacturer=manufacturer, created_by=owner, data=_data()
    )
    assert requirement.status == Requirement.Status.DRAFT
    assert sorted(requirement.processes.values_list("code", flat=True)) == ["CNC_TURN", "GRIND"]
    assert requirement.created_by == owner


def test_a_reference_is_unique_per_manufacturer_only(manufacturer, owner, other_buyer):
    services.requirement_create(manufacturer=manufacturer, created_by=owner, data=_data())
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_create(manufacturer=manufacturer, created_by=owner, data=_data())
    assert "reference" in excinfo.value.message_dict
    other = other_buyer.manufacturer_membership.manufacturer
    services.requirement_create(manufacturer=other, created_by=other_buyer, data=_data())


def test_a_price_range_upside_down_is_rejected_by_the_service(manufacturer, owner):
    with pytest.raises(ValidationError) as excinfo:
        services.requirement_create(
            manufacturer=manufacturer,
            created_by=owner,
            data=_data(target_price_min_idr=200_000),
        )
    assert "target_price_max_idr" in excinfo.value.message_dict


def test_attachments_get_a_random_name_outside_media(requirement, owner, settings):
    upload = SimpleUploadedFile("../../etc/Gambar Teknik.pdf", TINY_PDF)
    attachment = services.attachment_add(requirement=requirement, upload=upload, uploaded_by=owner)
    assert attachment.original_name == "Gambar Teknik.pdf"
    assert "Gambar" not in attachment.file.name
    assert attachment.file.name.startswith("requirements/") and attachment.file.name.endswith(
        ".pdf"
    )
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    assert attachment.size == len(TINY_PDF)
    # Private storage never hands out a /media/ address.
    try:
        url = attachment.file.url
    except ValueError:
        url = ""
    assert not url.startswith(settings.MEDIA_URL)


def test_a_fake_attachment_is_rejected_by_the_service(requirement, owner):
    upload = SimpleUploadedFile("drawing.pdf", b"<html>not a drawing</html>")
    with pytest.raises(ValidationError):
        services.attachment_add(requirement=requirement, upload=upload, uploaded_by=owner)
    assert requirement.attachments.count() == 0


def test_invitation_mail_goes_out_in_the_recipients_language_with_html(
    manufacturer, owner, mailoutbox
):
    UmkmUserFactory(email="kenal@example.id", preferred_language="en")
    owner.preferred_language = "id"
    owner.save()
    invitation = services.invitation_create(
        manufacturer=manufacturer, email="Kenal@Example.id", invited_by=owner
    )
    assert invitation.email == "kenal@example.id"
    (message,) = mailoutbox
    assert message.to == ["kenal@example.id"]
    assert invitation.token in message.body
    assert "invites you to join" in message.body  # English: the recipient's language
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert invitation.token in html
    assert '<html lang="en">' in html


def test_invitation_to_an_unknown_address_goes_out_in_the_inviters_language(
    manufacturer, owner, mailoutbox
):
    owner.preferred_language = "id"
    owner.save()
    services.invitation_create(manufacturer=manufacturer, email="baru@example.id", invited_by=owner)
    owner.preferred_language = "en"
    owner.save()
    services.invitation_create(manufacturer=manufacturer, email="lain@example.id", invited_by=owner)
    first, second = mailoutbox
    assert '<html lang="id">' in first.alternatives[0][0]
    assert '<html lang="en">' in second.alternatives[0][0]


def test_only_the_owner_invites(manufacturer, staff):
    with pytest.raises(PermissionDenied):
        services.invitation_create(manufacturer=manufacturer, email="a@b.id", invited_by=staff)


def test_accepting_an_invitation_joins_as_staff_once(manufacturer, owner, new_buyer):
    invitation = services.invitation_create(
        manufacturer=manufacturer, email=new_buyer.email, invited_by=owner
    )
    member = services.invitation_accept(invitation=invitation, user=new_buyer)
    assert member.manufacturer == manufacturer and member.role == "staff"
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=new_buyer)


def test_an_invitation_is_only_for_its_address_and_expires(manufacturer, owner, new_buyer):
    invitation = services.invitation_create(
        manufacturer=manufacturer, email="someone.else@example.id", invited_by=owner
    )
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, user=new_buyer)
    assert excinfo.value.code == "wrong_email"
    invitation.email = new_buyer.email
    invitation.expires = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, user=new_buyer)
    assert excinfo.value.code == "expired"


def test_an_umkm_user_without_a_company_who_accepts_becomes_a_buyer(manufacturer, owner):
    person = UmkmUserFactory(email="pindah@example.id")
    invitation = services.invitation_create(
        manufacturer=manufacturer, email=person.email, invited_by=owner
    )
    services.invitation_accept(invitation=invitation, user=person)
    person.refresh_from_db()
    assert person.is_buyer


def test_a_requirement_factory_default_is_a_draft(requirement):
    # Sanity check of the shared factory used across these tests.
    assert requirement.is_draft and not RequirementFactory._meta.abstract
