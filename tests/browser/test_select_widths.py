"""At 360 px no filter select of the ministry's dashboard and queue, nor of the public supplier
list, cuts an option: every option's text must fit the closed select's box."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser.narrow import narrow_page  # noqa: F401
from tests.browser.test_matching_screens import log_in
from tests.factories import MinistryUserFactory

pytestmark = pytest.mark.browser

CUT = """(scope) => [...document.querySelectorAll(scope + ' select:not([multiple])')]
    .filter(select => select.offsetParent !== null)
    .flatMap(select => {
        const style = getComputedStyle(select);
        const context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
        const width = (option) => Math.round(context.measureText(option.text).width);
        return [...select.options]
            .filter(option => width(option) > room)
            .map(option => `${select.name}: ${option.text} (${width(option)} > ${room} px)`);
    })"""


def _open_filters(page) -> None:
    for summary in page.locator("details:not([open]) > summary").all():
        if summary.is_visible():
            summary.click()


@pytest.mark.parametrize(
    ("path", "scope", "signed_in", "language"),
    [
        ("/reports/", "main", True, "id"),
        ("/reports/verification/", "main", True, "id"),
        ("/suppliers/", "main", False, "id"),
        ("/suppliers/", "main", False, "en"),
    ],
    ids=["dashboard", "queue", "supplier-list", "supplier-list-en"],
)
def test_no_filter_select_cuts_an_option_at_360_px(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    path,
    scope,
    signed_in,
    language,
):
    page = narrow_page
    if signed_in:
        log_in(page, live_server, MinistryUserFactory(), language)
    else:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
    page.goto(path)
    _open_filters(page)
    cut = page.evaluate(CUT, scope)
    screenshot(page, "filters")
    assert cut == []
