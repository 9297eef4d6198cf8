"""axe-core in the browser tests: audit a page as it is served, under its own policy.

axe is vendored (tests/browser/vendor/, from the npm registry) and never fetched at run time.
It is injected with `page.evaluate(source)`, not `page.add_script_tag(path=...)`: that one
inserts an inline <script>, which the portal's `script-src 'self'` refuses. Code evaluated
through the DevTools protocol is not subject to the page's CSP, so the page stays exactly as
served — no `bypass_csp` context that would also let the page's own inline code run and hide
a real violation (tests/browser/test_csp.py relies on the policy being in force).
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SEVERE = ("serious", "critical")


@cache
def _axe_source() -> str:
    # Wrapped so evaluate() runs it as a statement list and returns nothing large.
    return f"(() => {{ {AXE.read_text(encoding='utf-8')}\n; return typeof axe; }})()"


def axe_violations(
    page: Page, impact: tuple[str, ...] = SEVERE, *, context: str | None = None
) -> list[dict]:
    """The violations axe finds on the page as it stands, those of the given impacts only,
    each with the CSS targets of its nodes."""
    if page.evaluate("typeof window.axe") == "undefined":
        assert page.evaluate(_axe_source()) == "object"
    results = page.evaluate(
        """async (context) => {
            const results = await axe.run(context || document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({impact: n.impact, target: n.target.join(" "),
                                            summary: n.failureSummary})),
            }));
        }""",
        context,
    )
    found = []
    for violation in results:
        nodes = [n for n in violation["nodes"] if n["impact"] in impact]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def axe_report(violations: list[dict]) -> str:
    """One line per failing node, to read in a failed assertion."""
    return "\n".join(
        f"{v['impact']:8} {v['id']}: {v['help']} — {n['target']}"
        for v in violations
        for n in v["nodes"]
    )


def axe_count(violations: list[dict]) -> int:
    return sum(len(v["nodes"]) for v in violations)
