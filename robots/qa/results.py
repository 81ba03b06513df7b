"""What `posc check-selectors` found, panel by panel and key by key.

A control is `found` (exactly one visible element), `missing` (0), `ambiguous` (n > 1) or,
for a key its selectors file lists under `optional:` (it shows only in some states), `optional,
absent`. A panel is `visited`, `not visited` (on purpose: reaching it would change the portal's
state, or the data file has no records for it) or `not reached` (the walk stopped before it).
Missing, ambiguous and not reached are failures; the accessibility scan never is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FOUND, MISSING, AMBIGUOUS, OPTIONAL_ABSENT = "found", "missing", "ambiguous", "optional_absent"
VISITED, NOT_VISITED, NOT_REACHED, PENDING = "visited", "not_visited", "not_reached", "pending"


def control_status(count: int, *, optional: bool) -> str:
    if count == 1:
        return FOUND
    if count == 0:
        return OPTIONAL_ABSENT if optional else MISSING
    return AMBIGUOUS


@dataclass
class ControlResult:
    key: str
    status: str
    count: int
    optional: bool = False
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in (MISSING, AMBIGUOUS)

    def shown(self) -> str:
        return {
            FOUND: "found",
            MISSING: f"MISSING ({self.count})",
            AMBIGUOUS: f"AMBIGUOUS ({self.count})",
            OPTIONAL_ABSENT: "optional, absent",
        }[self.status]


@dataclass
class PanelResult:
    name: str
    file: str | None
    status: str = PENDING
    detail: str = ""
    controls: list[ControlResult] = field(default_factory=list)
    screenshot: str | None = None
    accessibility: dict[str, Any] | None = None

    def control(self, key: str) -> ControlResult | None:
        return next((c for c in self.controls if c.key == key), None)

    def record(self, result: ControlResult) -> ControlResult:
        """Adds a key's result; a failure a later step met replaces an earlier success."""
        known = self.control(result.key)
        if known is None:
            self.controls.append(result)
            return result
        if result.failed and not known.failed:
            self.controls[self.controls.index(known)] = result
            return result
        return known

    @property
    def failed(self) -> bool:
        return self.status == NOT_REACHED or any(c.failed for c in self.controls)

    def shown(self) -> str:
        return {
            VISITED: "visited",
            NOT_VISITED: "not visited",
            NOT_REACHED: "NOT REACHED",
            PENDING: "not reached",
        }[self.status]


@dataclass
class CheckReport:
    portal: str
    mock: bool
    data: str
    started: str
    finished: str = ""
    panels: list[PanelResult] = field(default_factory=list)

    @property
    def failures(self) -> list[tuple[PanelResult, ControlResult | None]]:
        found: list[tuple[PanelResult, ControlResult | None]] = []
        for panel in self.panels:
            if panel.status == NOT_REACHED:
                found.append((panel, None))
            found += [(panel, control) for control in panel.controls if control.failed]
        return found

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0

    def totals(self) -> dict[str, int]:
        counts = {FOUND: 0, OPTIONAL_ABSENT: 0, MISSING: 0, AMBIGUOUS: 0}
        for panel in self.panels:
            for control in panel.controls:
                counts[control.status] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "portal": self.portal,
            "mock": self.mock,
            "data": self.data,
            "started": self.started,
            "finished": self.finished,
            "ok": not self.failures,
            "totals": self.totals(),
            "failures": [
                {"panel": panel.name, "key": control.key if control else None,
                 "result": control.status if control else panel.status,
                 "count": control.count if control else None,
                 "detail": control.detail if control else panel.detail}
                for panel, control in self.failures
            ],
            "panels": [asdict(panel) for panel in self.panels],
        }
