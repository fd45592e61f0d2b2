"""A 360 px phone (the narrowest common Android width), in Indonesian, for the issue 14 tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

NARROW = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture
def narrow_page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def narrow_page_without_js(browser, live_server) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False, **NARROW
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= 360


def wider_than_the_screen(page) -> list[str]:
    """The elements that stick out past 360 px (for an assertion's message)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("body *"))
            .filter((el) => el.getBoundingClientRect().right > 361)
            .slice(0, 10)
            .map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`)"""
    )
