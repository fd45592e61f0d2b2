"""axe-core in the browser tests: WCAG 2.1 A and AA rules run on the page as the user sees it.

axe.min.js comes from node_modules (a dev dependency, never served by the app) and is injected
with ``page.add_script_tag``; the page's context must be made with ``bypass_csp=True`` (see
``axe_context``) because the Content-Security-Policy rightly refuses that inline script.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# axe files these under "best practice" at moderate impact, yet a screen-reader user finds their
# way by them (headings, landmarks, the skip link, tab order): they must pass too.
STRUCTURE_RULES = (
    "heading-order",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "page-has-heading-one",
    "region",
    "skip-link",
    "tabindex",
)
BLOCKING_IMPACTS = ("serious", "critical")

_RUN = """async ([tags, rules]) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    rules: Object.fromEntries(rules.map(rule => [rule, {enabled: true}])),
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  }));
}"""


def axe_context(browser, live_server, *, viewport: dict, user=None, locale: str = "id-ID"):
    """A browser context axe can run in, logged in as ``user`` (a server-side session: the
    log-in form has its own tests)."""
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport=viewport, bypass_csp=True
    )
    context.set_default_timeout(20_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def axe_violations(page, *, blocking_only: bool = True) -> list[dict]:
    """The violations on ``page`` as it is now: by default those that fail a test (serious or
    critical WCAG 2.1 A/AA ones, and any of the structure rules)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(_RUN, [list(WCAG_TAGS), list(STRUCTURE_RULES)])
    if blocking_only:
        violations = [
            v for v in violations if v["impact"] in BLOCKING_IMPACTS or v["id"] in STRUCTURE_RULES
        ]
    return violations


def axe_report(where: str, violations: list[dict], *, per_rule: int = 5) -> str:
    """One readable block per violated rule: impact, rule, help, and the first elements hit."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])} element(s); {violation['helpUrl']})"
        )
        for node in violation["nodes"][:per_rule]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}\n        {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """Fails with a readable report when axe finds a blocking violation on the page."""
    violations = axe_violations(page)
    assert not violations, "\n" + axe_report(where or page.url, violations)
