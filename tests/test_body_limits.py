"""Request bodies are capped per view before anything reads them: 413 with a translated page (or
the API's JSON error), for declared lengths and for chunked bodies while they stream."""

from __future__ import annotations

import io
import json
import socket
import time

import pytest
from django.test import Client
from django.urls import reverse

from manufacturers.validators import ATTACHMENT_MAX_BYTES
from suppliers.validators import DOCUMENT_MAX_BYTES, PHOTO_MAX_BYTES
from tests.api.conftest import key_client, key_for
from tests.factories import (
    AdminUserFactory,
    ManufacturerMemberFactory,
    RequirementFactory,
    SupplierFactory,
    SupplierMemberFactory,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
OVERHEAD = 256 * 1024


class EndlessBody(io.RawIOBase):
    """A request body that never ends and remembers how much was read of it."""

    def __init__(self, fail_after: int = 50 * MB) -> None:
        self.read_bytes = 0
        self.fail_after = fail_after

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.fail_after
        self.read_bytes += size
        # Without a cap this would be read to the end: stop the test instead of the machine.
        assert self.read_bytes <= self.fail_after, "the body was read without a limit"
        return b"x" * size

    readline = read


def _post(client: Client, url: str, length: int | None, stream=None, **extra):
    """A POST declaring ``length`` (None: chunked, de-chunked by the server) whose body is
    ``stream`` (endless by default)."""
    stream = stream if stream is not None else EndlessBody()
    environ = {
        "wsgi.input": stream,
        "CONTENT_LENGTH": "" if length is None else str(length),
        # The test client sets the type only along with a body of its own.
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
    }
    if length is None:
        environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
    response = client.generic("POST", url, b"", **environ, **extra)
    return response, stream


@pytest.fixture
def umkm_client(client):
    supplier = SupplierFactory()
    client.force_login(SupplierMemberFactory(supplier=supplier).user)
    return client, supplier


def test_a_200_mb_body_is_refused_before_a_byte_is_read(client):
    response, body = _post(client, reverse("account_login"), 200 * MB)
    assert response.status_code == 413
    assert body.read_bytes == 0
    html = response.content.decode()
    assert "Permintaan terlalu besar: paling banyak 1 MB dapat dikirim ke sini." in html


def test_the_413_page_is_in_the_users_language(client, settings):
    # The language switch's cookie chooses; the browser's Accept-Language does not.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response, _body = _post(client, reverse("account_login"), 2 * MB, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 413
    assert "at most 1 MB can be sent here" in response.content.decode()


@pytest.mark.parametrize(
    ("view", "limit"),
    [
        ("suppliers:edit_certifications", DOCUMENT_MAX_BYTES + OVERHEAD),
        ("suppliers:edit_photos", PHOTO_MAX_BYTES + OVERHEAD),
    ],
)
def test_supplier_uploads_take_their_file_limit_plus_the_form(umkm_client, view, limit):
    client, supplier = umkm_client
    url = reverse(view, args=[supplier.pk])
    over, body = _post(client, url, limit + 1)
    assert over.status_code == 413 and body.read_bytes == 0
    # At the limit the body is read (here: a broken multipart body, which Django refuses
    # with a 400 of its own, but not for its size).
    within, _body = _post(client, url, limit, stream=io.BytesIO(b"x" * limit))
    assert within.status_code != 413


def test_drawings_take_20_mb_plus_the_form(client):
    membership = ManufacturerMemberFactory()
    requirement = RequirementFactory(manufacturer=membership.manufacturer)
    client.force_login(membership.user)
    url = reverse("manufacturers:attachment_add", args=[requirement.pk])
    over, body = _post(client, url, ATTACHMENT_MAX_BYTES + OVERHEAD + 1)
    assert over.status_code == 413 and body.read_bytes == 0
    assert ATTACHMENT_MAX_BYTES == 20 * MB
    within, _body = _post(client, url, 6 * MB, stream=io.BytesIO(b"x" * 6 * MB))
    assert within.status_code != 413


def test_the_admin_takes_several_uploads(client):
    client.force_login(AdminUserFactory())
    response, _body = _post(
        client, "/admin/suppliers/supplier/add/", 12 * MB, stream=io.BytesIO(b"x" * 12 * MB)
    )
    assert response.status_code != 413
    over, body = _post(client, "/admin/suppliers/supplier/add/", 200 * MB)
    assert over.status_code == 413 and body.read_bytes == 0


def test_api_writes_take_1_mb_and_answer_in_the_api_format(db):
    from partners.models import PartnerOrganisation

    partner = PartnerOrganisation.objects.create(name="Asosiasi", kind="association")
    client = key_client(key_for(partner, "suppliers:write"), language="id")
    response, body = _post(client, "/api/v1/suppliers/", MB + 1)
    assert response.status_code == 413 and body.read_bytes == 0
    assert response.json() == {
        "error": {
            "code": "request_too_large",
            "message": "Permintaan terlalu besar: paling banyak 1 MB dapat dikirim ke sini.",
        }
    }


def test_a_chunked_body_is_cut_off_while_it_streams(client):
    body = EndlessBody()
    response, body = _post(client, reverse("account_login"), None, stream=body)
    assert response.status_code == 413
    assert body.read_bytes <= MB + 64 * 1024  # the limit and one read beyond it


def test_a_chunked_body_within_the_limit_is_read_as_usual(db):
    from partners.models import PartnerOrganisation

    partner = PartnerOrganisation.objects.create(name="Asosiasi", kind="association")
    client = key_client(key_for(partner, "suppliers:write"))
    payload = json.dumps({"legal_name": "CV Bertahap"}).encode()
    response = client.generic(
        "POST",
        "/api/v1/suppliers/",
        b"",
        **{
            "CONTENT_TYPE": "application/json",
            "wsgi.input": io.BytesIO(payload),
            "CONTENT_LENGTH": "",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input_terminated": True,
        },
    )
    # Parsed: the serializer names the missing fields (an empty body would name legal_name too).
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "nib" in fields and "legal_name" not in fields


def test_a_real_server_answers_413_without_waiting_for_the_body(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\n"
            + f"Host: {host}\r\n".encode()
            + b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {200 * MB}\r\n\r\n".encode()
            + b"login=a"  # and not one byte more
        )
        started = time.monotonic()
        status_line = connection.recv(64).split(b"\r\n")[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    assert time.monotonic() - started < 5
