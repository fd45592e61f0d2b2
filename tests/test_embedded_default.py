"""`make run` on the embedded PostgreSQL (tools/embedded_pg.py running tools/run_demo.sh, tasks
in-process, e-mail to the console), on a fresh data directory: it starts PostgreSQL, migrates,
seeds the demo and serves; Ctrl-C stops the web server and the database; a second start finds
the data of the first and serves every journey's main page from it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from suppliers.demo import DEMO_PASSWORD, MINISTRY_EMAIL, UMKM_EMAIL

ROOT = Path(__file__).resolve().parents[1]
SUPPLIERS = 40

# Every journey's main page as its demo user, through the real URL configuration.
CHECK = f"""
from django.test import Client
from accounts.models import User
from suppliers.models import Supplier
assert Supplier.objects.count() == {SUPPLIERS}, Supplier.objects.count()
pages = {{
    None: ["/", "/suppliers/", "/api/v1/schema/"],
    "umkm@demo.rantai.id": [
        "/suppliers/mine/", "/matches/mine/", "/matches/mine/readiness/", "/introductions/",
        "/api/v1/suppliers/",
    ],
    "buyer@demo.rantai.id": ["/buyers/", "/matches/", "/introductions/"],
    "kementerian@demo.rantai.id": [
        "/matches/readiness/",
        "/reports/", "/reports/?province=32&system=BAT", "/reports/print/",
        "/reports/export.xlsx", "/reports/verification/",
    ],
}}
for email, urls in pages.items():
    client = Client(HTTP_HOST="127.0.0.1")
    if email:
        client.force_login(User.objects.get(email=email))
    for url in urls:
        status = client.get(url, follow=True).status_code
        print(url, email, status)
        assert status == 200, (url, email, status)
print("ALL OK")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    # `make run`'s environment: no DATABASE_URL (so the embedded server), no test settings.
    dropped = {"DATABASE_URL", "RANTAI_TESTING", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    return {
        **{k: v for k, v in os.environ.items() if k not in dropped},
        "DEBUG": "true",
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
        "LOG_LEVEL": "WARNING",
        "PORT": str(port),
        "PYTHON": sys.executable,
    }


def _launcher(data: Path, *command: str) -> list[str]:
    return [sys.executable, "tools/embedded_pg.py", "--data", str(data), "--", *command]


def _postgres_running(data: Path) -> bool:
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except ProcessLookupError:
        return False
    return True


class Browser:
    """A cookie-keeping HTTP client, enough for allauth's log-in form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def log_in(self, email: str) -> None:
        status, form = self.get("/accounts/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "login": email, "password": DEMO_PASSWORD}
        ).encode()
        with self.opener.open(self.base + "/accounts/login/", data=data, timeout=60) as response:
            assert response.status == 200
            assert "/accounts/login/" not in response.url, "log-in refused"


def _wait_until_served(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 300  # migrations and the demo on a loaded 2-core machine
    while time.monotonic() < deadline:
        assert process.poll() is None, f"make run stopped:\n{log.read_text()[-4000:]}"
        try:
            with urllib.request.urlopen(base + "/", timeout=10) as response:  # noqa: S310 (http://127.0.0.1)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"not served after 5 minutes:\n{log.read_text()[-4000:]}")


@pytest.fixture
def data_dir():
    # Not under pytest's own temporary folder: any pytest session that starts meanwhile resets
    # /tmp/pytest-of-<user> to mode 0700, which locks the server's system user out of its data.
    folder = Path(tempfile.mkdtemp(prefix="rantai-make-run-"))
    yield folder / "pgdata"
    shutil.rmtree(folder, ignore_errors=True)


def test_make_run_serves_the_demo_on_embedded_postgresql_and_keeps_its_data(tmp_path, data_dir):
    data = data_dir
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = _env(tmp_path, port)
    log = tmp_path / "run.log"

    with log.open("w") as output:
        process = subprocess.Popen(
            _launcher(data, "tools/run_demo.sh", "--suppliers", str(SUPPLIERS)),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_served(process, base, log)
        assert _postgres_running(data)
        anonymous = Browser(base)
        for path in ("/", "/suppliers/", "/api/v1/schema/"):
            assert anonymous.get(path)[0] == 200, path
        umkm = Browser(base)
        umkm.log_in(UMKM_EMAIL)
        status, page = umkm.get("/suppliers/mine/")
        assert status == 200 and "CV Sinar Kabel Nusantara" in page
        ministry = Browser(base)
        ministry.log_in(MINISTRY_EMAIL)
        assert ministry.get("/reports/")[0] == 200  # the facts, built in-process
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C does to `make run`
        process.wait(120)
    output = log.read_text()
    assert "umkm@demo.rantai.id" in output  # the log-ins, printed by seed_demo
    assert not _postgres_running(data), output[-4000:]
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the web server still answers"

    again = subprocess.run(
        _launcher(data, sys.executable, "manage.py", "shell", "-c", CHECK),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "ALL OK" in again.stdout
    assert not _postgres_running(data)
