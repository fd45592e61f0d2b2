"""Issue 14.3: a buyer's destructive actions (deleting a draft or a drawing, closing a
requirement) run only when confirmed; the first request gets the confirmation page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manufacturers import services
from manufacturers.models import Requirement
from tests.factories import TINY_PDF

pytestmark = pytest.mark.django_db


def test_a_draft_and_its_drawing_are_kept_until_the_deletion_is_confirmed(
    client, owner, requirement
):
    attachment = services.attachment_add(
        requirement=requirement,
        upload=SimpleUploadedFile("gambar.pdf", TINY_PDF),
        uploaded_by=owner,
    )
    client.force_login(owner)
    detail = reverse("manufacturers:requirement_detail", args=[requirement.pk])
    remove = reverse("manufacturers:attachment_delete", args=[requirement.pk, attachment.pk])
    delete = reverse("manufacturers:requirement_delete", args=[requirement.pk])

    page = client.post(remove).content.decode()
    assert 'data-testid="confirm-page"' in page and "gambar.pdf" in page
    assert f'href="{detail}"' in page  # the way back changes nothing
    assert requirement.attachments.count() == 1
    assert 'data-testid="confirm-page"' in client.post(delete).content.decode()
    assert Requirement.objects.filter(pk=requirement.pk).exists()

    client.post(remove, {"confirmed": "yes"})
    assert requirement.attachments.count() == 0
    assert client.post(delete, {"confirmed": "yes"}).status_code == 302
    assert not Requirement.objects.filter(pk=requirement.pk).exists()


def test_the_detail_page_marks_each_destructive_form_for_the_dialog(client, owner, requirement):
    client.force_login(owner)
    page = client.get(
        reverse("manufacturers:requirement_detail", args=[requirement.pk])
    ).content.decode()
    delete = reverse("manufacturers:requirement_delete", args=[requirement.pk])
    form = page[page.index(f'action="{delete}"') :]
    assert form.index("data-confirm=") < form.index(">")
