"""Production settings: `check --deploy` is clean, and an insecure setup refuses to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Only the variables below decide the settings; the test exemption must not leak in.
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="rantai.example.id",
        DATABASE_URL="postgres://rantai:secret@db.example.id:5432/rantai",
        REDIS_URL="redis://redis.example.id:6379/0",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_deploy_check_flags_a_weak_secret_key():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(SECRET_KEY="short")
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_with_the_development_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is the insecure development default" in result.stderr


def test_development_may_use_the_development_secret_key():
    env = production_env(DEBUG="true")
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode == 0, result.stderr
