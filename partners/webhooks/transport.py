"""Calling a partner's endpoint without letting it reach inside Rantai's network (SSRF).

An endpoint is https on a host whose every address is public. The host is resolved once per
attempt, the addresses checked, and the connection made to the checked address (the TLS name
and the Host header stay the endpoint's), so a name that resolves to a public address when
checked and to 127.0.0.1 a moment later (DNS rebinding) cannot slip through. Redirects are never
followed (``http.client`` does not): a 3xx is an answer like any other. Timeouts are short.

``settings.WEBHOOK_ALLOW_LOCAL`` (tests, ``make run``) also allows http:// on a loopback host and
loopback or private addresses.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# One label of a DNS name in ASCII (an internationalised name in its xn-- form).
LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
MAX_RESPONSE_BYTES = 2048


class Refused(Exception):
    """The address may not be called."""


def allow_local() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_LOCAL", False))


def _is_host_name(host: str) -> bool:
    name = host[:-1] if host.endswith(".") else host
    return 0 < len(name) <= 253 and all(LABEL.fullmatch(label) for label in name.split("."))


def _is_loopback_host(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _address_allowed(address: str, local: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified or ip.is_multicast:
        return False
    if ip.is_global:
        return True
    return local and (ip.is_loopback or ip.is_private)


def check_url(url: str) -> str:
    """The endpoint's address as registered, or a translated ValidationError saying why not.

    Only its form is checked here; the addresses it resolves to are checked on every call."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_("Enter a valid address (URL)."), code="invalid") from None
    host = parts.hostname or ""
    if not host or parts.scheme not in ("https", "http"):
        raise ValidationError(
            _("Enter a full address starting with https://."), code="invalid"
        ) from None
    if parts.username or parts.password:
        raise ValidationError(
            _("The address cannot contain a user name or password."), code="credentials"
        )
    if parts.scheme == "http" and not (allow_local() and _is_loopback_host(host)):
        raise ValidationError(_("The address must start with https://."), code="not_https")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if (port is not None and not 0 < port < 65536) or (literal is None and not _is_host_name(host)):
        raise ValidationError(_("Enter a valid address (URL)."), code="invalid")
    if literal is not None and not _address_allowed(str(literal), allow_local()):
        raise ValidationError(
            _("The address must be reachable on the internet, not a private network."),
            code="private",
        )
    if literal is None and host.lower() in LOOPBACK_NAMES and not allow_local():
        raise ValidationError(
            _("The address must be reachable on the internet, not a private network."),
            code="private",
        )
    return url


def resolve(host: str, port: int) -> str:
    """A checked address of ``host``; Refused if it has none or any of them is not allowed."""
    local = allow_local()
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ConnectionError(f"cannot resolve {host}: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise ConnectionError(f"cannot resolve {host}")
    refused = [address for address in addresses if not _address_allowed(address, local)]
    if refused:
        raise Refused(f"{host} resolves to a non-public address ({refused[0]})")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Response:
    status: int
    duration_ms: int


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POSTs ``body``; the response (any status), or Refused / OSError (timeouts included)."""
    parts = urlsplit(url)
    if parts.scheme == "http" and not (allow_local() and _is_loopback_host(parts.hostname or "")):
        raise Refused("http:// is only allowed for loopback hosts in development")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    host = parts.hostname or ""
    address = resolve(host, port)
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5.0))
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)  # the receiver's answer is not used; cap what is read
        status = response.status
    except (http.client.HTTPException, ssl.SSLError) as exc:
        raise ConnectionError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    return Response(status=status, duration_ms=int((time.monotonic() - started) * 1000))
