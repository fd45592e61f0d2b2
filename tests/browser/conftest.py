"""End-to-end tests: Playwright for Python driving Debian's chromium against a live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to
# set up data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _reference_data(transactional_db) -> None:
    # live_server tests flush every table between tests, including the reference data that the
    # data migration loaded; put it back.
    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():
        load_reference_data(apps)


@pytest.fixture
def screenshot(request):
    """Saves a full-page screenshot under test-artifacts/ (look at them)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def watch_failures(page, failed: list[str]) -> list[str]:
    """Collects into `failed` every request of `page` that failed and every asset that did not load.

    A request the browser itself dropped because the page moved on (the favicon while a form
    submits, a download ending its navigation) fails with net::ERR_ABORTED by design: that is not
    a broken page. A missing style sheet or script answers 404 and never "fails" as a request, so
    asset responses are checked by status too.
    """

    def on_failed(request) -> None:
        if request.failure != "net::ERR_ABORTED":
            failed.append(request.url)

    def on_response(response) -> None:
        if "/static/" in response.url and response.status >= 400:
            failed.append(response.url)

    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    return failed


def _context(browser, live_server, options: dict, locale: str):
    context = browser.new_context(base_url=live_server.url, locale=locale, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    """A phone-sized page in Indonesian (the default language)."""
    context = _context(browser, live_server, PHONE, "id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_server) -> Iterator:
    context = _context(browser, live_server, DESKTOP, "en-US")
    # The site ignores the browser's language (Indonesian first); this page has chosen English
    # with the language switch.
    from django.conf import settings

    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page = context.new_page()
    yield page
    context.close()
