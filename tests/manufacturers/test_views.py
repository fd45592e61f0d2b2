import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manufacturers import services
from manufacturers.models import Manufacturer, Requirement
from suppliers.models import Process
from tests.factories import (
    TINY_PDF,
    IntroductionFactory,
    ManufacturerFactory,
    ManufacturerMemberFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    data = {
        "reference": "RFQ-9",
        "title": "Hub motor housing",
        "component": "MOT.HOUSING",
        "processes": ["DIE_CAST", "CNC_TURN"],
        "materials": ["ALUMINIUM"],
        "required_certifications": ["IATF16949"],
        "annual_volume": "30000",
        "target_price_min_idr": "240000",
        "target_price_max_idr": "520000",
        "needed_by": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "delivery_province": "36",
        "description": "ADC12 die casting",
    }
    data.update(overrides)
    return data


def test_a_buyer_without_a_company_is_sent_to_register_one(client, new_buyer):
    client.force_login(new_buyer)
    assert client.get(reverse("home"))["Location"] == reverse("manufacturers:create")
    assert client.get(reverse("manufacturers:dashboard"))["Location"] == reverse(
        "manufacturers:create"
    )


def test_a_buyer_with_a_company_lands_on_the_dashboard(client, owner):
    client.force_login(owner)
    assert client.get(reverse("home"))["Location"] == reverse("manufacturers:dashboard")


def test_registering_a_company_with_a_bad_npwp_keeps_what_was_typed(client, new_buyer):
    client.force_login(new_buyer)
    response = client.post(
        reverse("manufacturers:create"),
        {"name": "PT Kendaraan Baru", "kind": "tier1", "npwp": "123", "address": "Jl. Mawar 3"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "NPWP must have 16 digits" in html
    assert 'value="PT Kendaraan Baru"' in html and "Jl. Mawar 3" in html
    assert (
        not Manufacturer.objects.exists()
        or not Manufacturer.objects.filter(name="PT Kendaraan Baru").exists()
    )


def test_registering_a_company_creates_it_unverified(client, new_buyer):
    client.force_login(new_buyer)
    response = client.post(
        reverse("manufacturers:create"),
        {"name": "PT Kendaraan Baru", "kind": "tier1", "npwp": "012345678901000"},
        follow=True,
    )
    manufacturer = Manufacturer.objects.get(name="PT Kendaraan Baru")
    assert manufacturer.verification_status == "unverified"
    assert manufacturer.npwp == "0012345678901000"
    assert "waiting for verification" in response.content.decode()


def test_a_failed_requirement_submit_keeps_every_value_and_marks_the_field(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("manufacturers:requirement_create"),
        _post_data(target_price_min_idr="900000"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at least the lower price" in html
    assert 'value="Hub motor housing"' in html
    for code in ("DIE_CAST", "CNC_TURN"):
        assert re.search(rf'value="{code}" id="id_processes_\d+_\d+" checked', html)
    assert re.search(r'value="ALUMINIUM" id="id_materials_\d+_\d+" checked', html)
    assert not re.search(r'value="STAMP" id="id_processes_\d+_\d+" checked', html)
    assert '<option value="MOT.HOUSING" selected>' in html
    assert not Requirement.objects.exists()


def test_a_buyer_creates_a_draft_and_sees_it_on_the_dashboard(client, owner):
    client.force_login(owner)
    response = client.post(reverse("manufacturers:requirement_create"), _post_data())
    requirement = Requirement.objects.get(reference="RFQ-9")
    assert response["Location"] == reverse(
        "manufacturers:requirement_detail", args=[requirement.pk]
    )
    assert requirement.is_draft and requirement.created_by == owner
    dashboard = client.get(reverse("manufacturers:dashboard")).content.decode()
    assert "Hub motor housing" in dashboard


def test_the_dashboard_shows_only_own_requirements_by_status(client, owner, manufacturer):
    RequirementFactory(manufacturer=manufacturer, title="Mine draft")
    RequirementFactory(manufacturer=manufacturer, title="Mine open", status="open")
    RequirementFactory(title="Someone else's part")
    client.force_login(owner)
    html = client.get(reverse("manufacturers:dashboard")).content.decode()
    assert "Mine draft" in html and "Mine open" in html
    assert "Someone else" not in html
    only_open = client.get(reverse("manufacturers:dashboard") + "?status=open").content.decode()
    assert "Mine open" in only_open and "Mine draft" not in only_open


def test_an_unverified_buyer_is_told_clearly_that_publishing_waits(client, owner, requirement):
    Manufacturer.objects.filter(pk=requirement.manufacturer_id).update(
        verification_status="unverified"
    )
    client.force_login(owner)
    response = client.post(
        reverse("manufacturers:requirement_publish", args=[requirement.pk]), follow=True
    )
    assert "has not been verified by the ministry yet" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.is_draft


def test_publishing_and_closing_from_the_page(client, owner, requirement):
    client.force_login(owner)
    client.post(reverse("manufacturers:requirement_publish", args=[requirement.pk]))
    requirement.refresh_from_db()
    assert requirement.is_open
    url = reverse("manufacturers:requirement_close", args=[requirement.pk])
    asked = client.post(url, {"close_reason": "awarded"})
    # Closing cannot be undone: the page asks first, and repeats the chosen reason.
    assert 'data-testid="confirm-page"' in asked.content.decode()
    assert 'name="close_reason" value="awarded"' in asked.content.decode()
    requirement.refresh_from_db()
    assert requirement.is_open
    client.post(url, {"close_reason": "awarded", "confirmed": "yes"})
    requirement.refresh_from_db()
    assert (requirement.status, requirement.close_reason) == ("closed", "awarded")
    response = client.get(reverse("manufacturers:requirement_edit", args=[requirement.pk]))
    assert response.status_code == 302


def test_expired_is_not_a_reason_a_buyer_can_pick(client, owner, requirement):
    services.requirement_publish(requirement=requirement, by=owner)
    client.force_login(owner)
    client.post(
        reverse("manufacturers:requirement_close", args=[requirement.pk]),
        {"close_reason": "expired", "confirmed": "yes"},
    )
    requirement.refresh_from_db()
    assert requirement.is_open


def test_editing_an_open_requirement_shows_the_history(client, owner, requirement):
    services.requirement_publish(requirement=requirement, by=owner)
    client.force_login(owner)
    data = _post_data(
        reference=requirement.reference,
        title=requirement.title,
        component=requirement.component_id,
        annual_volume="75000",
    )
    response = client.post(reverse("manufacturers:requirement_edit", args=[requirement.pk]), data)
    assert response.status_code == 302
    revision = requirement.revisions.get()
    assert revision.changes["annual_volume"] == [50_000, 75_000]
    html = client.get(reverse("manufacturers:requirement_detail", args=[requirement.pk])).content
    html = html.decode()
    assert "History of changes" in html and "75000" in html and "50000" in html


def test_a_never_published_draft_does_not_claim_no_changes_since_publication(
    client, owner, requirement
):
    client.force_login(owner)
    url = reverse("manufacturers:requirement_detail", args=[requirement.pk])

    draft = client.get(url).content.decode()
    assert requirement.published_at is None
    assert "Not published yet: changes are recorded from publication on." in draft
    assert "No changes since it was published." not in draft

    services.requirement_publish(requirement=requirement, by=owner)
    published = client.get(url).content.decode()
    assert "No changes since it was published." in published


def test_the_owner_downloads_an_attachment_with_its_original_name(client, owner, requirement):
    client.force_login(owner)
    client.post(
        reverse("manufacturers:attachment_add", args=[requirement.pk]),
        {"file": SimpleUploadedFile("Gambar Housing.pdf", TINY_PDF)},
    )
    attachment = requirement.attachments.get()
    response = client.get(
        reverse("manufacturers:attachment_download", args=[requirement.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert 'filename="Gambar Housing.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert "/media/" not in attachment.file.path
    assert client.get("/media/" + attachment.file.name).status_code == 404


def test_a_fake_drawing_is_refused_next_to_the_field(client, owner, requirement):
    client.force_login(owner)
    response = client.post(
        reverse("manufacturers:attachment_add", args=[requirement.pk]),
        {"file": SimpleUploadedFile("drawing.pdf", b"#!/bin/sh\necho hi\n")},
    )
    assert response.status_code == 400
    assert "This file is not one of them" in response.content.decode()
    assert requirement.attachments.count() == 0


def test_an_attachment_of_another_requirement_is_not_reachable(client, owner, requirement):
    other = RequirementFactory()
    attachment = other.attachments.create(
        file=SimpleUploadedFile("x.pdf", TINY_PDF), original_name="x.pdf", size=1
    )
    client.force_login(owner)
    url = reverse("manufacturers:attachment_download", args=[requirement.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_umkm_browse_never_shows_price_or_attachments(client, umkm, manufacturer):
    requirement = RequirementFactory(
        manufacturer=manufacturer,
        status="open",
        title="Visible part",
        target_price_min_idr=1_234_567,
        target_price_max_idr=7_654_321,
    )
    requirement.attachments.create(
        file=SimpleUploadedFile("secret.pdf", TINY_PDF), original_name="secret-drawing.pdf", size=1
    )
    client.force_login(umkm)
    listing = client.get(reverse("manufacturers:browse")).content.decode()
    detail = client.get(reverse("manufacturers:browse_detail", args=[requirement.pk]))
    detail = detail.content.decode()
    for html in (listing, detail):
        assert "Visible part" in html
        for secret in ("1,234,567", "1.234.567", "1234567", "7654321", "7,654,321", "secret"):
            assert secret not in html
    assert "/buyers/mine/" not in detail


def test_umkm_do_not_see_drafts_or_closed_requirements(client, umkm, manufacturer):
    draft = RequirementFactory(manufacturer=manufacturer, title="Draft part")
    closed = RequirementFactory(
        manufacturer=manufacturer, title="Closed part", status="closed", close_reason="awarded"
    )
    client.force_login(umkm)
    html = client.get(reverse("manufacturers:browse")).content.decode()
    assert "Draft part" not in html and "Closed part" not in html
    for requirement in (draft, closed):
        url = reverse("manufacturers:browse_detail", args=[requirement.pk])
        assert client.get(url).status_code == 404


def test_browse_filters_by_component_system_process_and_province(client, umkm, manufacturer):
    holder = RequirementFactory(manufacturer=manufacturer, status="open", title="Holder part")
    shaft = RequirementFactory(
        manufacturer=manufacturer,
        status="open",
        title="Shaft part",
        component_id="MOT.SHAFT",
        delivery_province_id="36",
        processes=list(Process.objects.filter(code="CNC_TURN")),
    )
    client.force_login(umkm)
    url = reverse("manufacturers:browse")

    def titles(query: str) -> set[str]:
        html = client.get(url + query).content.decode()
        return {t for t in (holder.title, shaft.title) if t in html}

    assert titles("") == {"Holder part", "Shaft part"}
    assert titles("?component=MOT") == {"Shaft part"}
    assert titles("?component=BAT.MOD") == {"Holder part"}
    assert titles("?process=CNC_TURN") == {"Shaft part"}
    assert titles("?province=32") == {"Holder part"}
    assert titles("?province=36&process=INJ_MOULD") == set()


def test_browse_paginates(client, umkm):
    manufacturer = ManufacturerFactory()
    for n in range(23):
        RequirementFactory(manufacturer=manufacturer, status="open", title=f"Part {n:02d}")
    client.force_login(umkm)
    first = client.get(reverse("manufacturers:browse")).content.decode()
    second = client.get(reverse("manufacturers:browse") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Part 00" in first and "Part 22" not in first
    assert "Part 22" in second and "Part 00" not in second


def test_ministry_verifies_and_rejects_from_the_company_page(client, ministry):
    manufacturer = ManufacturerFactory(verification_status="unverified")
    client.force_login(ministry)
    page = client.get(reverse("manufacturers:manufacturer_detail", args=[manufacturer.pk]))
    assert "Verify" in page.content.decode()
    client.post(reverse("manufacturers:manufacturer_verify", args=[manufacturer.pk]))
    manufacturer.refresh_from_db()
    assert manufacturer.is_verified and manufacturer.verified_by == ministry
    response = client.post(
        reverse("manufacturers:manufacturer_reject", args=[manufacturer.pk]),
        {"verification_reason": ""},
        follow=True,
    )
    assert "Give the reason" in response.content.decode()
    manufacturer.refresh_from_db()
    assert manufacturer.is_verified
    client.post(
        reverse("manufacturers:manufacturer_reject", args=[manufacturer.pk]),
        {"verification_reason": "NPWP belongs to another company"},
    )
    manufacturer.refresh_from_db()
    assert manufacturer.verification_status == "rejected"


def test_the_ministry_list_shows_unverified_buyers(client, ministry):
    ManufacturerFactory(name="PT Menunggu", verification_status="unverified")
    ManufacturerFactory(name="PT Sudah", verification_status="verified")
    client.force_login(ministry)
    html = client.get(reverse("manufacturers:manufacturer_list") + "?status=unverified")
    html = html.content.decode()
    assert "PT Menunggu" in html and "PT Sudah" not in html


def test_an_invited_colleague_joins_through_the_link(client, owner, manufacturer, new_buyer):
    client.force_login(owner)
    client.post(
        reverse("manufacturers:manufacturer_invite", args=[manufacturer.pk]),
        {"email": new_buyer.email},
    )
    invitation = manufacturer.invitations.get()
    client.force_login(new_buyer)
    # The page for registering a company points to the pending invitation.
    create_page = client.get(reverse("manufacturers:create")).content.decode()
    assert invitation.token in create_page
    response = client.post(reverse("manufacturers:invitation_accept", args=[invitation.token]))
    assert response["Location"] == reverse("manufacturers:dashboard")
    assert new_buyer.manufacturer_membership.manufacturer == manufacturer
    assert new_buyer.manufacturer_membership.role == "staff"


def test_an_anonymous_visitor_of_an_invitation_is_asked_to_sign_up_or_log_in(client, manufacturer):
    invitation = manufacturer.invitations.create(
        email="baru@example.id", token="abc", expires=timezone.now() + timedelta(days=1)
    )
    html = client.get(reverse("manufacturers:invitation_accept", args=["abc"])).content.decode()
    assert "baru@example.id" in html and reverse("account_signup") in html
    response = client.post(reverse("manufacturers:invitation_accept", args=["abc"]))
    assert response["Location"].startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_buyer_dashboard_puts_unanswered_umkm_interest_first(client):
    member = ManufacturerMemberFactory(user__preferred_language="en")
    requirement = RequirementFactory(manufacturer=member.manufacturer, status="open")
    IntroductionFactory(requirement=requirement, direction="umkm_interest")
    IntroductionFactory(requirement=requirement)  # a buyer request: the UMKM must answer
    IntroductionFactory(direction="umkm_interest")  # another manufacturer's requirement
    client.force_login(member.user)

    html = client.get(reverse("manufacturers:dashboard")).content.decode()

    waiting = re.search(r'data-testid="requests-waiting">(.*?)</p>', html, re.S).group(1)
    assert "An UMKM is waiting for your answer." in waiting
    assert reverse("introductions:list") in waiting
