"""What a first visit costs on a phone: the home page and the UMKM profile form each load in
under 60 KB transferred, measured in the browser against the app as production runs it
(gunicorn, DEBUG off, static files collected and pre-compressed by whitenoise)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import watch_failures
from tests.factories import UmkmUserFactory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 60 * 1024
PHONE_360 = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    host = db["HOST"] or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    user = quote(db["USER"], safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    if host.startswith("/"):
        # The embedded server's Unix socket, written as tools/embedded_pg.py writes it (a path in
        # the URL's host part would be lower-cased).
        return f"postgres://{user}{password}@/{db['NAME']}?host={quote(host, safe='/')}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _production_env(static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        STATIC_ROOT=str(static_root),
        STATICFILES_BACKEND="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=_database_url(),
    )
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    env = _production_env(root)
    env.pop("DATABASE_URL")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": "postgres://unused@127.0.0.1:1/unused"},
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture
def production_server(transactional_db, static_root) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_production_env(static_root),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/favicon.ico", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _document(rows: list[dict], path: str) -> dict:
    # The page's own response, wherever it falls among the others (their order varies).
    (row,) = [row for row in rows if row["url"].split("?")[0].endswith(path)]
    return row


def _first_load(browser, url: str, path: str, cookies: list[dict] | None = None):
    """Every response of a first visit (empty cache), with the bytes each took on the wire."""
    context = browser.new_context(base_url=url, locale="id-ID", **PHONE_360)
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    failed = []
    watch_failures(page, failed)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    rows = []
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        rows.append(
            {
                "url": request.url,
                "status": response.status,
                "encoding": response.headers.get("content-encoding", ""),
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
            }
        )
    return context, page, rows, failed


def _report(name: str, rows: list[dict]) -> int:
    total = sum(row["bytes"] for row in rows)
    lines = [
        f"{row['bytes']:>7} {row['status']} {row['encoding'] or '-':5} {row['url']}" for row in rows
    ]
    print(f"\n{name}: {total} bytes in {len(rows)} responses\n" + "\n".join(lines))
    return total


def test_the_home_page_loads_in_under_60_kb(browser, production_server, screenshot):
    context, page, rows, failed = _first_load(browser, production_server, "/")

    total = _report("home", rows)
    assert failed == []
    assert all(row["status"] < 400 for row in rows)  # no missing favicon or stylesheet
    styles = [row for row in rows if row["url"].endswith(".css")]
    assert styles and all(row["encoding"] == "gzip" for row in styles)
    assert _document(rows, "/")["encoding"] == "gzip"  # the page itself: no one is logged in
    assert total < BUDGET
    screenshot(page, "home-360")
    context.close()


def test_the_umkm_profile_form_loads_in_under_60_kb(browser, production_server, screenshot):
    client = Client()
    client.force_login(UmkmUserFactory())
    session = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": production_server,
    }

    context, page, rows, failed = _first_load(
        browser, production_server, "/suppliers/new/", [session]
    )

    total = _report("profile form", rows)
    assert failed == []
    assert page.locator("form input[name$=legal_name]").count() == 1
    assert all(row["status"] < 400 for row in rows)
    # A logged-in page goes uncompressed (BREACH; accounts/compression.py), its static files
    # compressed.
    assert _document(rows, "/suppliers/new/")["encoding"] == ""
    assert all(row["encoding"] == "gzip" for row in rows if row["url"].endswith((".css", ".js")))
    assert total < BUDGET
    screenshot(page, "profile-form-360")
    context.close()
