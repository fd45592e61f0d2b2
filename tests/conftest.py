import os
import warnings
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files from tests go to a throw-away folder, never into the project.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    # Each test gets its own key prefix in the real cache (Redis under `make test`), so log-in
    # and sign-up rate limits counted by one test, or by an earlier run, never leak into another.
    # Flushing instead would also wipe the Celery broker that shares the Redis database.
    import uuid

    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _fresh_engine_arrays():
    # The engine keeps the supplier arrays of this process and follows the database by its
    # newest change and a counter of deletions. A test's rolled-back rows vanish without a
    # DELETE, which in production only a committed DELETE or TRUNCATE does: start each test
    # from the database.
    from matchmaking import data

    data.clear_caches(snapshot_files=False)
    yield
    data.clear_caches(snapshot_files=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Password hashing is deliberately slow; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _playwright() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def _chromium(_playwright) -> Iterator[dict]:
    holder: dict = {}
    yield holder
    if holder.get("browser") is not None and holder["browser"].is_connected():
        holder["browser"].close()


def _launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


@pytest.fixture
def browser(_playwright, _chromium):
    """One chromium for the whole run (Playwright's sync API allows one instance per thread, so
    every folder with browser tests shares it), started again if it went away: a browser that
    died during an earlier test (out of memory on a loaded machine) must not fail the others."""
    current = _chromium.get("browser")
    if current is None or not current.is_connected():
        if current is not None:
            warnings.warn("chromium had gone away; started a new one", stacklevel=1)
        _chromium["browser"] = _launch(_playwright)
    return _chromium["browser"]
