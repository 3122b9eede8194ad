"""axe-core for the browser tests: run it on a Playwright page, get the serious and critical violations.

axe-core comes bundled with the PyPI package axe-playwright-python (pinned in pyproject's dev extras), so
nothing is downloaded at test time. Use it on any page a test has open:

    from tests.browser.axe import assert_accessible, serious_violations
    page.goto(url)
    assert_accessible(page, "saved searches page")        # fails listing every serious/critical node

Rules run: axe's defaults (WCAG 2.0/2.1/2.2 A and AA plus best practices) and label-content-name-mismatch;
only violations whose impact is serious or critical count (``violations`` returns the others too).
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("serious", "critical")
OPTIONS = {
    "resultTypes": ["violations"],
    # Off by default in axe (tagged experimental), but it is what issue 15 found 33 of: a control's
    # accessible name must contain its visible text (WCAG 2.5.3), or speech users cannot name it.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}
_AXE = Axe()


def violations(page, impacts: tuple[str, ...] | None = None) -> list[dict]:
    """axe's violations on the page as it is now (each a dict: id, impact, help, nodes...)."""
    found = _AXE.run(page, options=OPTIONS).response["violations"]
    return [v for v in found if impacts is None or v.get("impact") in impacts]


def serious_violations(page) -> list[dict]:
    """The violations that block: impact serious or critical."""
    return violations(page, BLOCKING_IMPACTS)


def describe(found: list[dict]) -> str:
    """One line per failing element: rule, impact, CSS target and axe's summary of what is wrong."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or violation["help"]).split())
            lines.append(f"{violation['id']} ({violation['impact']}) {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """Fail with the list of serious/critical violations when the page has any."""
    found = serious_violations(page)
    count = sum(len(v["nodes"]) for v in found)
    assert not found, f"{label or page.url}: {count} serious/critical axe violations\n{describe(found)}"
