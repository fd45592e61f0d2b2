import pytest

from tests.browser.conftest import watch_failures

pytestmark = pytest.mark.browser


def test_the_home_page_is_in_indonesian_by_default_and_serves_its_own_assets(
    phone_page, screenshot
):
    failed = []
    watch_failures(phone_page, failed)
    phone_page.goto("/")
    assert phone_page.locator("html").get_attribute("lang") == "id"
    assert phone_page.evaluate("typeof htmx") == "object"
    screenshot(phone_page, "home")
    assert failed == []
