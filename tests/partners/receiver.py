"""A real HTTP server on 127.0.0.1 for the webhook tests: it records every request and answers
with the statuses it is given, one per request (the last one repeats)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signatures(self) -> tuple[str, list[str]]:
        """(timestamp, [v1 signatures]) of X-Rantai-Signature."""
        timestamp, found = "", []
        for part in self.headers["X-Rantai-Signature"].split(","):
            key, _sep, value = part.partition("=")
            if key == "t":
                timestamp = value
            elif key == "v1":
                found.append(value)
        return timestamp, found

    def signed_with(self, secret: str) -> bool:
        """Verified as a receiver would: HMAC-SHA256 of "<t>.<body>" with the secret."""
        timestamp, found = self.signatures()
        expected = hmac.new(
            secret.encode(), timestamp.encode() + b"." + self.body, hashlib.sha256
        ).hexdigest()
        return any(hmac.compare_digest(expected, signature) for signature in found)


class Receiver:
    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [200])
        self.received: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                    index = len(receiver.received) - 1
                    status = receiver.statuses[min(index, len(receiver.statuses) - 1)]
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"{receiver.url}/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
