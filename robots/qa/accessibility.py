"""An axe-core scan of one panel, for `posc check-selectors`: information for QA, never a
failure. axe-core comes with axe-playwright-python (the `test` extra), imported only when a
scan runs, so the robot itself does not need it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from playwright.async_api import Locator

IMPACTS = ("critical", "serious", "moderate", "minor")
OPTIONS = {"resultTypes": ["violations"]}


class Scanner:
    def __init__(self) -> None:
        self._script: str | None = None
        self.unavailable: str | None = None
        try:
            from axe_playwright_python.base import AXE_SCRIPT
        except ImportError:
            self.unavailable = "axe-playwright-python is not installed (pip install 'posc-robot[test]')"
        else:
            self._script = AXE_SCRIPT

    async def scan(self, panel: Locator) -> dict[str, Any]:
        """Violations inside `panel`: how many, counted by impact, and which rules."""
        if self._script is None:
            return {"skipped": self.unavailable}
        try:
            if await panel.page.evaluate("() => typeof window.axe") == "undefined":
                await panel.page.evaluate(self._script)
            found = await panel.evaluate("(element, options) => axe.run(element, options)", OPTIONS)
        except Exception as error:  # a scan is information only: it never stops the check
            return {"error": str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}
        return summarize(found["violations"])


def summarize(violations: list[dict[str, Any]]) -> dict[str, Any]:
    by_impact = Counter(v.get("impact") or "unknown" for v in violations)
    ordered = {impact: by_impact[impact] for impact in (*IMPACTS, "unknown") if by_impact[impact]}
    return {
        "violations": len(violations),
        "by_impact": ordered,
        "rules": [
            {"id": v["id"], "impact": v.get("impact"), "nodes": len(v.get("nodes", [])), "help": v.get("help", "")}
            for v in violations
        ],
    }
