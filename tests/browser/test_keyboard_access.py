"""Keyboard alone, at 360 px in Indonesian: the skip link comes first and lands in the page, the
tab order follows the reading order, every stop shows where focus is, and a visitor signs up and
an UMKM owner logs in and corrects the company profile without a mouse. Forms with errors say
which field is wrong to a screen reader (aria-invalid, aria-describedby) and pass axe."""

from __future__ import annotations

import re

import pytest

from accounts.models import User
from accounts.services import email_address_mark_verified
from manufacturers.models import Requirement
from suppliers.models import Supplier
from tests.browser.axe import assert_accessible, axe_context
from tests.factories import ManufacturerMemberFactory, SupplierMemberFactory, UmkmUserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
PASSWORD = "rantai-test-pass-123"  # the factories' password

# How a focused element is named in the checks: id, else name, else its text.
_DESCRIBE = """el => el.id ? '#' + el.id : (el.name ? el.tagName.toLowerCase() + '[' + el.name + ']'
  : el.tagName.toLowerCase() + ':' + (el.textContent || '').trim().slice(0, 30))"""

# The elements Tab should stop at, in document order: visible, enabled, not tabindex=-1, one stop
# per radio group (its checked radio, else its first).
_EXPECTED_STOPS = f"""() => {{
  const describe = {_DESCRIBE};
  const selector =
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const groups = new Set(), stops = [];
  for (const el of document.querySelectorAll(selector)) {{
    if (el.disabled || el.tabIndex < 0) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.type === 'radio') {{
      if (groups.has(el.name)) continue;
      groups.add(el.name);
      const group = [...document.getElementsByName(el.name)];
      stops.push(describe(group.find(r => r.checked) || group[0]));
      continue;
    }}
    stops.push(describe(el));
  }}
  return stops;
}}"""

_FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const label = document.activeElement.id === 'nav-toggle'
    && getComputedStyle(document.querySelector('label[for=nav-toggle]')).outlineStyle !== 'none';
  return outline || label || style.boxShadow !== 'none';
}"""


def _focused(page) -> str:
    return page.evaluate(f"() => ({_DESCRIBE})(document.activeElement)")


def _tab_order_matches_the_reading_order(page) -> None:
    expected = page.evaluate(_EXPECTED_STOPS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    actual, hidden_focus = [], []
    for _ in expected:
        page.keyboard.press("Tab")
        actual.append(_focused(page))
        if not page.evaluate(_FOCUS_SHOWN):
            hidden_focus.append(actual[-1])
    assert actual == expected
    assert hidden_focus == [], "no visible focus on these"


def _tab_to(page, name: str, limit: int = 60) -> None:
    """Presses Tab until the field called ``name`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(name) => document.activeElement.name === name", name):
            return
    raise AssertionError(f"Tab never reached {name}")


def _unlinked_errors(page) -> list[str]:
    """Field errors that no input or group names in its aria-describedby (a screen reader would
    not read them with the field)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.field .field-error')]
          .filter(e => !e.id || !document.querySelector(`[aria-describedby~="${e.id}"]`))
          .map(e => e.id || e.textContent.trim())"""
    )


def _tab_to_submit(page, limit: int = 10) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type === 'submit'"):
            return
    raise AssertionError("Tab never reached the submit button")


def _error_of(page, selector: str) -> str:
    """The error a screen reader reads with the field: the texts its aria-describedby names."""
    field = page.locator(selector)
    assert field.get_attribute("aria-invalid") == "true", selector
    ids = (field.get_attribute("aria-describedby") or "").split()
    assert any(ident.endswith("_error") for ident in ids), (selector, ids)
    texts = []
    for ident in ids:
        target = page.locator(f"[id='{ident}']")
        assert target.count() == 1, (selector, ident)
        texts.append(target.inner_text())
    return " ".join(texts)


@pytest.fixture
def phone(browser, live_server):
    context = axe_context(browser, live_server, viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def test_a_visitor_signs_up_with_the_keyboard_alone(phone, screenshot):
    page = phone
    page.goto("/accounts/signup/")
    _tab_order_matches_the_reading_order(page)

    # The first Tab shows the skip link; Enter moves into the page, past the header.
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_test_id("skip-link")
    assert _focused(page) == "a:Langsung ke isi"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 10
    screenshot(page, "skip-link")
    page.keyboard.press("Enter")
    assert _focused(page) == "#main"

    _tab_to(page, "email")
    page.keyboard.type("sari@bengkel.example.id")
    _tab_to(page, "full_name")
    page.keyboard.type("Sari Wulandari")
    _tab_to(page, "role")
    # Arrow keys choose within the radio group.
    page.keyboard.press("Space")
    chosen = page.evaluate("() => document.activeElement.value")
    _tab_to(page, "password1")
    page.keyboard.type("Rantai-Umkm-2026!")
    _tab_to(page, "password2")
    page.keyboard.type("Rantai-Umkm-2027!")
    _tab_to(page, "privacy_consent")
    page.keyboard.press("Space")
    _tab_to_submit(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The mismatch is read with the field; nothing typed is lost.
    assert page.locator("#id_password2").is_visible()
    assert re.search(r"sama|match", _error_of(page, "#id_password2"), re.I)
    assert page.input_value("input[name=email]") == "sari@bengkel.example.id"
    assert_accessible(page, "sign-up with errors")
    screenshot(page, "signup-error")

    page.locator("#id_password2").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Rantai-Umkm-2026!")
    page.locator("#id_password1").focus()
    page.keyboard.type("Rantai-Umkm-2026!")
    if not page.is_checked("input[name=privacy_consent]"):
        _tab_to(page, "privacy_consent")
        page.keyboard.press("Space")
    page.locator("#id_password2").focus()
    _tab_to_submit(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.get(email="sari@bengkel.example.id").role == chosen
    assert_accessible(page, "e-mail confirmation sent")


def test_an_umkm_owner_logs_in_and_corrects_the_company_with_the_keyboard_alone(phone, screenshot):
    member = SupplierMemberFactory(user=UmkmUserFactory(email="pemilik@umkm.example.id"))
    email_address_mark_verified(user=member.user)
    supplier = member.supplier
    page = phone
    page.goto("/accounts/login/")
    _tab_to(page, "login")
    page.keyboard.type("pemilik@umkm.example.id")
    _tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/suppliers/mine/")
    assert_accessible(page, "UMKM dashboard")

    page.goto(f"/suppliers/{supplier.pk}/edit/company/")
    _tab_order_matches_the_reading_order(page)
    page.reload()
    _tab_to(page, "employees")
    page.keyboard.press("Control+A")
    page.keyboard.type("-5")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert _error_of(page, "#id_employees")
    assert page.locator("#id_employees").input_value() == "-5"
    assert _unlinked_errors(page) == []
    assert_accessible(page, "company form with an error")
    screenshot(page, "company-error")

    page.locator("#id_employees").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("32")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_function("() => !location.pathname.endsWith('/edit/company/')")
    assert Supplier.objects.get(pk=supplier.pk).employees == 32


def test_a_buyer_sends_an_incomplete_requirement_with_the_keyboard_and_hears_what_is_missing(
    browser, live_server, screenshot
):
    buyer = ManufacturerMemberFactory().user
    context = axe_context(browser, live_server, viewport=PHONE, user=buyer)
    page = context.new_page()
    page.goto("/buyers/mine/new/")
    _tab_to(page, "title")
    page.keyboard.type("Rumah motor penggerak")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    assert page.locator("#id_title").input_value() == "Rumah motor penggerak"
    assert _error_of(page, "#id_component")
    assert _unlinked_errors(page) == []
    assert_accessible(page, "requirement form with errors")
    screenshot(page, "requirement-errors")
    assert not Requirement.objects.exists()
    context.close()
