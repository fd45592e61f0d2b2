"""axe-core in the browser tests: WCAG 2.1 A and AA rules run on the page as the user sees it.

axe.min.js comes from node_modules (a dev dependency, never served by the app) and is injected
with ``page.add_script_tag``; the page's context must be made with ``bypass_csp=True`` because
the Content-Security-Policy (rightly) refuses that inline script.
"""

from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what a public service in Indonesia and the EU must meet.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# Moderate and minor findings are read in the report but do not fail a test.
BLOCKING = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def axe_violations(page, *, blocking_only: bool = True) -> list[dict]:
    """The WCAG 2.1 A/AA violations on ``page`` now (serious and critical ones by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(_RUN, list(WCAG_TAGS))
    if blocking_only:
        violations = [v for v in violations if v["impact"] in BLOCKING]
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
    """Fails with a readable report when the page has serious or critical WCAG violations."""
    violations = axe_violations(page)
    assert not violations, "\n" + axe_report(where or page.url, violations)
