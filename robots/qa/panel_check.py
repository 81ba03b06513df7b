"""Checking panels for `posc check-selectors`: every key of a panel's selectors file counted on
the page, and each flow step run so that what it met is recorded instead of raised.

A control the flows' own step could not find is looked for once more with its words anywhere
in the name (`Last Name` → `Member Last Name`); when exactly one element matches, it stands in
(`flows.panels.STAND_INS`) so the walk goes on and the panels after the drift are checked too.
The drifted key stays a failure.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.panels import STAND_INS, Panel, build_locator, selectors_dir, shown_instead
from flows.transitions import region
from robots.engine.flow import Timeouts
from robots.errors import AmbiguousSubmit, NotOffered, PoscError, SelectorError
from robots.qa.accessibility import Scanner
from robots.qa.results import (
    MISSING,
    NOT_REACHED,
    NOT_VISITED,
    PENDING,
    VISITED,
    CheckReport,
    ControlResult,
    PanelResult,
    control_status,
)

SCREENSHOTS = "screenshots"
# Controls one step may find drifted and still go on with a near match.
MAX_STAND_INS = 4


@dataclass(frozen=True)
class CheckSettings:
    timeouts: Timeouts = field(default_factory=Timeouts)
    # How long a control absent when its panel has arrived is waited for before it counts as
    # missing (the panel's title has shown by then: the rest is rendered or about to be).
    grace_ms: float = 2_000
    accessibility: bool = True


def panel_stems() -> dict[str, str]:
    """Each selectors file's panel name → its stem."""
    names = {}
    for path in sorted(selectors_dir().glob("*.yaml")):
        names[Panel.load(path.stem).name] = path.stem
    return names


class Checker:
    def __init__(self, page: Page, report: CheckReport, out_dir: Path, settings: CheckSettings) -> None:
        self.page = page
        self.report = report
        self.out_dir = out_dir
        self.settings = settings
        self.scanner = Scanner() if settings.accessibility else None
        self.stems = panel_stems()
        self.stand_ins: dict[tuple[str, str], Mapping[str, Any]] = {}
        STAND_INS.set(self.stand_ins)  # this task's context only: the check's own walk
        self.stopped = ""
        self.stops = 0
        self.stop_shot: str | None = None

    def panel(self, stem: str) -> PanelResult:
        name = Panel.load(stem).name
        for result in self.report.panels:
            if result.name == name:
                return result
        result = PanelResult(name=name, file=f"{stem}.yaml")
        self.report.panels.append(result)
        return result

    def _panel_named(self, name: str) -> PanelResult:
        if name in self.stems:
            return self.panel(self.stems[name])
        for result in self.report.panels:
            if result.name == name:
                return result
        result = PanelResult(name=name, file=None, status=VISITED)
        self.report.panels.append(result)
        return result

    async def check(self, stem: str) -> PanelResult:
        """Counts every key of `selectors/<stem>.yaml` on the page as it is now."""
        panel = Panel.load(stem)
        result = self.panel(stem)
        result.status = VISITED
        optional = set(panel.data.get("optional") or ())
        for key, spec in panel.controls.items():
            found = build_locator(self.page, spec).filter(visible=True)
            count = await found.count()
            if count == 0 and key not in optional:
                with contextlib.suppress(PlaywrightTimeout):
                    await found.first.wait_for(state="visible", timeout=self.settings.grace_ms)
                count = await found.count()
            control = result.record(ControlResult(key, control_status(count, optional=key in optional), count,
                                                  key in optional))
            if control.status == MISSING and not control.detail:
                control.detail = await shown_instead(self.page, spec)
        if self.scanner is not None:
            result.accessibility = await self.scanner.scan(await self._region(panel))
        if result.failed:
            await self._screenshot(result)
        return result

    async def _region(self, panel: Panel):
        if "title" in panel.controls:
            title = build_locator(self.page, panel.controls["title"]).filter(visible=True)
            if await title.count() == 1:
                return await region(title)
        return self.page.locator("body")

    async def step(self, action: Callable[[], Awaitable[Any]], *, arriving: str | None = None) -> bool:
        """Runs one of the flows' steps. False when the walk cannot go on (the reason is kept
        for the panels not reached). `arriving`: the stem of the panel the step leads to; if
        only its title is missing, the walk goes on and that panel is checked as it shows."""
        arrival = Panel.load(arriving).name if arriving else None
        for _ in range(MAX_STAND_INS + 1):  # each pass stands in for one more control
            try:
                await action()
                return True
            except PlaywrightError as raised:  # no answer, a closed page: nothing more to check
                await self.stop(f"the portal or the browser failed: {_first_line(raised)}")
                return False
            except PoscError as raised:
                error = _selector_error(raised)
                if error is None:
                    await self.stop(f"{type(raised).__name__}: {raised}")
                    return False
                if (error.panel, error.key) == (arrival, "title"):
                    await self.record_error(error)
                    return True
                if error.found == 0 and await self._stand_in(error.panel, error.key):
                    continue
                await self.record_error(error)
                await self.stop(str(error))
                return False
        await self.stop("too many drifted controls in one step")
        return False

    async def offered(self, stem: str, key: str, action: Callable[[], Awaitable[Any]]) -> None:
        """A check that is a step without navigation (a reason offered in the dropdown)."""
        try:
            await action()
        except NotOffered as refusal:  # the job's option, missing from the portal's list: a drift
            offers = f"the {refusal.what} list offers: {', '.join(refusal.offered)}"
            await self.record_error(SelectorError(refusal.panel or stem, key, found=0, detail=offers))
            return
        except SelectorError as error:
            await self.record_error(error)
            return
        self.panel(stem).record(ControlResult(key, control_status(1, optional=False), 1))

    async def record_error(self, error: SelectorError) -> None:
        result = self._panel_named(error.panel)
        if result.status == PENDING:
            result.status = VISITED
        control = result.record(ControlResult(error.key, control_status(error.found, optional=False), error.found,
                                              detail=error.detail))
        spec = self._spec(error.panel, error.key)
        if control.status == MISSING and spec is not None and "shown:" not in control.detail:
            control.detail = "; ".join(part for part in (control.detail, await shown_instead(self.page, spec)) if part)
        await self._screenshot(result)

    async def stop(self, reason: str) -> None:
        self.stopped = reason
        self.stops += 1
        self.stop_shot = await self._shoot(f"stopped-{self.stops}")

    def close_workflow(self, stems: list[str]) -> None:
        """Panels of a workflow the walk did not get to: not reached, and why."""
        reason = self.stopped or "the walk stopped before it"
        shot = self.stop_shot
        for stem in stems:
            result = self.panel(stem)
            if result.status == PENDING:
                result.status, result.detail = NOT_REACHED, reason
                result.screenshot, shot = shot, None
        self.stopped, self.stop_shot = "", None

    def not_visited(self, stems: list[str], why: str) -> None:
        for stem in stems:
            result = self.panel(stem)
            result.status, result.detail = NOT_VISITED, why

    def _spec(self, panel_name: str, key: str) -> Mapping[str, Any] | None:
        stem = self.stems.get(panel_name)
        return Panel.load(stem).controls.get(key) if stem else None

    async def _stand_in(self, panel_name: str, key: str) -> bool:
        spec = self._spec(panel_name, key)
        if spec is None or (panel_name, key) in self.stand_ins:
            return False
        near = _near(spec)
        if near == spec:
            return False
        found = build_locator(self.page, near).filter(visible=True)
        if await found.count() != 1:
            return False
        shown = await found.evaluate(_SHOWN_NAME)
        self.stand_ins[(panel_name, key)] = near
        result = self._panel_named(panel_name)
        control = result.record(ControlResult(key, MISSING, 0))
        control.detail = f"near match {shown!r} stood in so the walk could go on"
        return True

    async def _screenshot(self, result: PanelResult) -> None:
        if result.screenshot is None:
            stem = (result.file or result.name).removesuffix(".yaml")
            result.screenshot = await self._shoot(re.sub(r"\W+", "_", stem))

    async def _shoot(self, stem: str) -> str | None:
        relative = f"{SCREENSHOTS}/{stem}.png"
        (self.out_dir / SCREENSHOTS).mkdir(mode=0o700, exist_ok=True)
        try:
            await self.page.screenshot(path=self.out_dir / relative, full_page=True, animations="disabled")
        except Exception:  # a dead page has nothing to show; the report still says why
            return None
        return relative


def _selector_error(error: PoscError) -> SelectorError | None:
    if isinstance(error, SelectorError):
        return error
    # A Submit step reports a panel that did not appear as an unknown outcome; the cause is it.
    if isinstance(error, AmbiguousSubmit) and isinstance(error.__cause__, SelectorError):
        return error.__cause__
    return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _near(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    """The same selector with its words allowed anywhere in the name."""
    if "any_of" in spec:
        return {"any_of": [_near(alternative) for alternative in spec["any_of"]]}
    if ("name" in spec or "label" in spec or "text" in spec) and spec.get("exact", True):
        return {**spec, "exact": False}
    return spec


_SHOWN_NAME = """e => (
    (e.labels && e.labels.length ? e.labels[0].innerText : '') || e.getAttribute('aria-label')
    || e.innerText || e.value || ''
).trim()"""
