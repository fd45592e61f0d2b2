"""`make run`'s embedded default (SQLite, tasks in-process, e-mail to the console) works: the
suite itself runs on PostgreSQL, so this drives a separate process on a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Every journey's main page as its demo user, through the real URL configuration.
CHECK = """
from django.test import Client
from accounts.models import User
pages = {
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
}
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


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_make_runs_embedded_default_migrates_seeds_and_serves_every_journey(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"RANTAI_TESTING", "SECRET_KEY"}},
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
        "LOG_LEVEL": "WARNING",
    }

    _manage(env, "migrate", "--noinput", "-v0")
    seeded = _manage(env, "seed_demo", "--suppliers", "40")
    checked = _manage(env, "shell", "-c", CHECK)

    assert "umkm@demo.rantai.id" in seeded
    assert "ALL OK" in checked
