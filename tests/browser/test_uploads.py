"""Issue 14.2 in a real browser at 360 px: a file over the server's limit is refused in the
browser with the server's own message and nothing is sent; a file within it goes up with a
progress bar that can be cancelled (nothing saved), and then goes up for real."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import expect

from suppliers.validators import DOCUMENT_MAX_BYTES, DOCUMENT_TOO_LARGE, check_upload_size
from tests.browser.narrow import narrow_page  # noqa: F401
from tests.browser.slowlink import slow_link  # noqa: F401
from tests.browser.test_matching_screens import log_in
from tests.factories import TINY_PDF, RequirementFactory, SupplierMemberFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _padded_pdf(size: int) -> bytes:
    return TINY_PDF + b"%" + b"0" * (size - len(TINY_PDF) - 1)


def _fill_certification(page) -> None:
    page.select_option("#id_cert_type", "ISO9001")
    page.fill("#id_number", "QMS-2026-01")
    page.fill("#id_valid_until", "2029-01-31")


def _servers_message(size: int, language: str) -> str:
    """What the server's own check says of a file of ``size`` bytes, in ``language``."""
    upload = SimpleUploadedFile("iso.pdf", _padded_pdf(size), content_type="application/pdf")
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            check_upload_size(upload, DOCUMENT_MAX_BYTES, DOCUMENT_TOO_LARGE)
        # The message is lazy: read it in the language it is shown in, and the number in that
        # language's marks is already in it.
        return str(refused.value.messages[0])


# 6.96 MB: the server cuts the decimal (6,9), it does not round it (7,0).
TOO_BIG = DOCUMENT_MAX_BYTES + 1024 * 1024 + 96 * 1024 * 1024 // 100


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Ukuran berkas 6,9 MB; maksimum 5 MB."),
        ("en", "The file is 6.9 MB; the maximum is 5 MB."),
    ],
)
def test_a_too_big_certificate_is_refused_before_anything_is_sent(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    language,
    message,
):
    # The browser's words are the server's, number marks included.
    assert _servers_message(TOO_BIG, language) == message
    page = narrow_page
    member = SupplierMemberFactory(user__preferred_language=language)
    supplier = member.supplier
    log_in(page, live_server, member.user, language)
    page.goto(f"/suppliers/{supplier.pk}/edit/certifications/")
    posts = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )

    _fill_certification(page)
    page.set_input_files(
        "#id_document",
        files=[
            {
                "name": "iso.pdf",
                "mimeType": "application/pdf",
                "buffer": _padded_pdf(TOO_BIG),
            }
        ],
    )
    error = page.get_by_test_id("upload-error")
    # The server's message, in the page's language, with the size the browser measured.
    expect(error).to_have_text(message)
    page.get_by_test_id("add-certification").click()
    expect(page.locator("#id_document")).to_be_focused()
    screenshot(page, f"01-refused-in-the-browser-{language}")

    assert posts == []
    assert not supplier.certifications.exists()
    # A file of the wrong kind is refused the same way.
    page.set_input_files(
        "#id_document",
        files=[{"name": "iso.docx", "mimeType": "application/msword", "buffer": b"x" * 100}],
    )
    expect(error).to_contain_text("PDF, JPG")
    expect(error).not_to_have_text(message)
    assert posts == []


def test_a_certificate_goes_up_with_a_progress_bar_that_can_be_cancelled(
    narrow_page,  # noqa: F811
    live_server,
    slow_link,  # noqa: F811
    screenshot,
):
    page = narrow_page
    member = SupplierMemberFactory(user__preferred_language="id")
    supplier = member.supplier
    log_in(page, live_server, member.user, "id")
    # Through a slow uplink, as on a phone far from a tower.
    page.goto(f"{slow_link.url}/suppliers/{supplier.pk}/edit/certifications/")

    _fill_certification(page)
    document = {
        "name": "iso.pdf",
        "mimeType": "application/pdf",
        "buffer": _padded_pdf(DOCUMENT_MAX_BYTES - 512 * 1024),
    }
    page.set_input_files("#id_document", files=[document])
    page.get_by_test_id("add-certification").click()
    progress = page.get_by_test_id("upload-progress")
    expect(progress).to_be_visible()
    page.wait_for_function(
        "() => { const bar = document.querySelector('.upload-progress progress');"
        " return bar && bar.value >= 5 && bar.value < 90; }"
    )
    expect(page.get_by_test_id("upload-status")).to_contain_text("%")
    expect(page.get_by_test_id("add-certification")).to_be_disabled()
    screenshot(page, "01-uploading")
    page.get_by_test_id("upload-cancel").click()
    expect(page.get_by_test_id("upload-status")).to_contain_text("dibatalkan")
    expect(page.get_by_test_id("add-certification")).to_be_enabled()
    screenshot(page, "02-cancelled")
    page.wait_for_timeout(1000)  # anything the server might still have been given
    assert not supplier.certifications.exists()

    # A small file goes through the same slow link: the page after it says it is saved.
    page.set_input_files("#id_document", files=[{**document, "buffer": TINY_PDF}])
    page.get_by_test_id("add-certification").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_test_id("certifications")).to_contain_text("ISO 9001")
    assert page.url.endswith(f"/suppliers/{supplier.pk}/edit/certifications/")
    screenshot(page, "03-uploaded")
    certification = supplier.certifications.get()
    assert certification.number == "QMS-2026-01" and certification.document


def test_a_too_big_drawing_and_photo_are_refused_with_their_own_limits(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    tmp_path,
):
    from manufacturers.validators import ATTACHMENT_MAX_BYTES
    from tests.factories import ManufacturerMemberFactory

    page = narrow_page
    buyer = ManufacturerMemberFactory(user__preferred_language="id")
    draft = RequirementFactory(manufacturer=buyer.manufacturer)
    log_in(page, live_server, buyer.user, "id")
    page.goto(f"/buyers/mine/{draft.pk}/")
    posts = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    # From a file on disk: the browser reads it itself, as from a phone's storage.
    drawing = tmp_path / "gambar.step"
    with drawing.open("wb") as out:
        out.truncate(ATTACHMENT_MAX_BYTES + 1)
    page.set_input_files("#id_file", drawing)
    # One byte over 20 MB is "20,0" on the server (Indonesian decimal comma): the same here.
    expect(page.get_by_test_id("upload-error")).to_have_text(
        "Ukuran berkas 20,0 MB; maksimum 20 MB."
    )
    page.locator("[data-testid=attachment-form] button[type=submit]").click()
    screenshot(page, "01-drawing-refused")
    assert posts == [] and not draft.attachments.exists()

    member = SupplierMemberFactory(user__preferred_language="id")
    log_in(page, live_server, member.user, "id")
    page.goto(f"/suppliers/{member.supplier.pk}/edit/photos/")
    page.set_input_files(
        "#id_image",
        files=[{"name": "foto.gif", "mimeType": "image/gif", "buffer": b"GIF89a" + b"0" * 100}],
    )
    expect(page.get_by_test_id("upload-error")).to_contain_text("JPG, PNG")
    page.get_by_test_id("add-photo").click()
    assert posts == [] and not member.supplier.photos.exists()
