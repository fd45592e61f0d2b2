"""A slow uplink for browser tests: a TCP relay in front of the live server that passes the
browser's bytes on at a fixed rate (the server's answers go back at full speed). Unlike
DevTools' network emulation, the server really receives the upload slowly, so a cancelled
upload never reaches it whole."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

CHUNK = 4096


class SlowLink:
    def __init__(self, target: tuple[str, int], bytes_per_second: int) -> None:
        self.target = target
        self.rate = bytes_per_second
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # A small receive window: the browser can only be a few kilobytes ahead of the link, so
        # its progress events follow what has really gone through.
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://localhost:{self.listener.getsockname()[1]}"
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            threading.Thread(
                target=self._pipe, args=(client, server, self.rate), daemon=True
            ).start()
            threading.Thread(target=self._pipe, args=(server, client, None), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, rate: int | None) -> None:
        try:
            while True:
                data = source.recv(CHUNK)
                if not data:
                    break
                sink.sendall(data)
                if rate:
                    time.sleep(len(data) / rate)
        except OSError:
            pass
        finally:
            # Either side gone (a cancelled upload closes the browser's side): close both, so
            # the server sees a cut-off request, not a complete one.
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def close(self) -> None:
        self.closed.set()
        self.listener.close()


@pytest.fixture
def slow_link(live_server) -> Iterator[SlowLink]:
    """The live server behind a 200 KB/s uplink (about 1.6 Mbit/s)."""
    parts = urlsplit(live_server.url)
    link = SlowLink((parts.hostname, parts.port), bytes_per_second=200_000)
    yield link
    link.close()
