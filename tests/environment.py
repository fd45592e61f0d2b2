"""The test settings, in one place: a pytest plugin loaded before pytest-django sets Django up
(``-p tests.environment`` in pyproject.toml), so ``pytest`` alone works from the project folder.

It sets the test environment (real environment variables win), starts the embedded PostgreSQL
(``tools/embedded_pg.py``, data in ``.pgdata/``) unless ``DATABASE_URL`` names a server, and
stops the run at once, saying what to start or install, when PostgreSQL, Redis or (for the
browser tests) chromium is missing: the suite never skips for a missing service.

``python -m tests.environment -- COMMAND`` runs COMMAND with the same settings and database
(`make test` runs its checks before pytest so).
"""

from __future__ import annotations

import os
import sys

import pytest

from tools import embedded_pg

TEST_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "test-only-key-never-used-in-production-0123456789abcdef",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}
CHROMIUM_PATH = "/usr/bin/chromium"


def apply_defaults() -> None:
    for name, value in TEST_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("CHROMIUM_PATH", CHROMIUM_PATH)


def _database_problem(url: str) -> str | None:
    import psycopg2

    try:
        # The server's own database: pytest-django creates and drops test_<name> from there.
        psycopg2.connect(url, dbname="postgres", connect_timeout=3).close()
    except psycopg2.Error as error:
        return (
            f"PostgreSQL does not answer at DATABASE_URL={url} ({str(error).strip()}). Start "
            "that server, or unset DATABASE_URL to use the embedded one (tools/embedded_pg.py)."
        )
    return None


def _redis_problem(url: str) -> str | None:
    import redis

    if not url:
        return "The tests need Redis (cache and Celery broker): set REDIS_URL, or leave it unset."
    try:
        redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return (
            f"Redis does not answer at REDIS_URL={url} ({error}). Start it (redis-server, or "
            "`make services`; apt-get install redis-server if it is missing) or set REDIS_URL "
            "to a running server."
        )
    return None


def prepare() -> None:
    """Test environment, database and Redis, or ``pytest.UsageError`` saying what is missing."""
    apply_defaults()
    if not embedded_pg.configured_url():
        try:
            os.environ["DATABASE_URL"] = embedded_pg.start()
        except RuntimeError as error:
            raise pytest.UsageError(str(error)) from error
    problems = [
        _database_problem(os.environ["DATABASE_URL"]),
        _redis_problem(os.environ["REDIS_URL"]),
    ]
    if any(problems):
        raise pytest.UsageError(*[p for p in problems if p])


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before every plain implementation, pytest-django's (which sets Django up
    # and so reads the settings) included.
    if not (early_config.known_args_namespace.help or early_config.known_args_namespace.version):
        prepare()
    return (yield)


def pytest_unconfigure(config) -> None:
    embedded_pg.stop()  # now, while pytest's output is still open (else at exit)


def pytest_collection_modifyitems(config, items) -> None:
    chromium = os.environ["CHROMIUM_PATH"]
    if any(item.get_closest_marker("browser") for item in items) and not os.access(
        chromium, os.X_OK
    ):
        raise pytest.UsageError(
            f"The browser tests need chromium at {chromium}: apt-get install chromium "
            "fonts-dejavu-core (or `make chromium`), or set CHROMIUM_PATH."
        )


if __name__ == "__main__":
    apply_defaults()
    sys.exit(embedded_pg.main())
