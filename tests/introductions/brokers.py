"""Broker helpers shared by the worker and outage tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def use_broker(url: str):
    """Points this process's Celery app (the one services enqueue with) at another broker, and
    back to the previous one on the way out, with fresh pools."""
    from kombu import pools

    from config.celery import app

    previous = app.conf.broker_url

    def switch(to: str) -> None:
        # The app's pools live in kombu's process-wide pool groups, keyed by broker URL. Closing
        # one but leaving it registered would hand the closed pool back to the next test that
        # sends a task to that broker ("Acquire on closed pool"): close and forget them all.
        pools.reset()
        app.conf.broker_url = to
        app._after_fork()  # drops the app's references to the old connection and producer pools

    switch(url)
    try:
        yield app
    finally:
        switch(previous)


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except OSError:
                continue
            accepted.append(connection)  # held open, never read or written

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for connection in accepted:
            connection.close()
        server.close()
