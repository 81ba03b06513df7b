"""Panels: the selectors of `selectors/<panel>.yaml`, turned into Playwright locators at the
moment of use.

A selector is data (`{role: button, name: Submit}`, `{label: Member ID}`, `{text: ...}`,
`{css: ...}` as a last resort, or `{any_of: [...]}`). Names match loosely: case, surrounding
spaces, colons and the required-field asterisk do not matter, so "* Member ID:" is still
"Member ID"; anything else in the name does, so "Member Last Name" is not "Last Name".
`Panel.one` waits for a control and insists on exactly one visible match: 0 or several raise
`SelectorError(panel, key, found=n)`, never a bare timeout.
"""

from __future__ import annotations

import functools
import os
import re
import site
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from robots.engine.page_status import server_failed
from robots.errors import ConfigError, SelectorError, ServerError, SessionExpired, TransientError

Scope = Page | Locator
STRICT_VIOLATION = re.compile(r"strict mode violation: .* resolved to (\d+) elements")

# QA only: `posc check-selectors` stands another selector in for a control it found drifted
# (`{(panel name, key): spec}`), so that its walk through the flows' own steps reaches the
# panels after the drift and checks them too. The robot never sets any.
STAND_INS: ContextVar[dict[tuple[str, str], Mapping[str, Any]] | None] = ContextVar(
    "posc_stand_ins", default=None
)


def selectors_dir() -> Path:
    """`POSC_SELECTORS`, else the checkout's `selectors/`, else the installed data copy."""
    if override := os.environ.get("POSC_SELECTORS"):
        return Path(override)
    beside = Path(__file__).resolve().parent.parent / "selectors"
    if beside.is_dir():
        return beside
    installed = [Path(base) / "share" / "posc-robot" / "selectors" for base in (sys.prefix, site.USER_BASE or "")]
    return next((path for path in installed if path.is_dir()), installed[0])


def loose(text: str, *, exact: bool = True) -> re.Pattern[str]:
    """A pattern for a visible name. exact: the whole name, give or take case, spaces, colons
    and a required-field asterisk. Not exact: the words anywhere in the name."""
    # "/" escaped too: Playwright writes the pattern into its selector as /.../ (a bare slash
    # would end it early: "Enroll/Disenroll").
    words = r"\s+".join(re.escape(word).replace("/", r"\/") for word in text.split())
    if not exact:
        return re.compile(words, re.IGNORECASE)
    return re.compile(rf"^[\s*:]*{words}[\s*:]*(?:\(?required\)?)?[\s*:]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Panel:
    name: str
    controls: Mapping[str, Any]
    data: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    @functools.cache
    def load(cls, stem: str) -> Panel:
        path = selectors_dir() / f"{stem}.yaml"
        try:
            with path.open(encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except OSError:
            raise ConfigError(
                f"the selectors file {path} is missing: reinstall posc-robot or set POSC_SELECTORS"
            ) from None
        return cls(name=data["panel"], controls=data.get("controls", {}), data=data)

    def locator(self, scope: Scope, key: str) -> Locator:
        """The control's lazy locator (visible matches only); nothing is looked up yet."""
        stand_ins = STAND_INS.get()
        spec = stand_ins.get((self.name, key)) if stand_ins else None
        if spec is None:
            try:
                spec = self.controls[key]
            except KeyError:
                raise SelectorError(self.name, key, found=0, detail="no such key in selectors") from None
        return build_locator(scope, spec).filter(visible=True)

    async def one(self, scope: Scope, key: str, *, timeout_ms: float) -> Locator:
        """Waits for the control, then insists it is exactly one element."""
        found = self.locator(scope, key)
        try:
            await found.first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeout:
            raise (await page_failed(scope, self.name) or await self.missing(scope, key)) from None
        count = await found.count()
        if count != 1:
            raise SelectorError(self.name, key, found=count)
        return found

    async def shown(self, scope: Scope, key: str = "title") -> bool:
        return await self.locator(scope, key).count() > 0

    # Actions on a control in one round trip: Playwright waits for the control and, its
    # locators being strict, refuses one that matches several elements; both are told
    # apart here and named for the panel and key.

    async def fill(self, scope: Scope, key: str, value: str, *, timeout_ms: float) -> None:
        await self._act(scope, key, "fill", value, timeout_ms=timeout_ms)

    async def click(self, scope: Scope, key: str, *, timeout_ms: float) -> None:
        await self._act(scope, key, "click", timeout_ms=timeout_ms)

    async def check(self, scope: Scope, key: str, *, timeout_ms: float) -> None:
        await self._act(scope, key, "check", timeout_ms=timeout_ms)

    async def evaluate(self, scope: Scope, key: str, script: str, *, timeout_ms: float) -> Any:
        return await self._act(scope, key, "evaluate", script, timeout_ms=timeout_ms)

    async def _act(self, scope: Scope, key: str, verb: str, *args: Any, timeout_ms: float) -> Any:
        target = self.locator(scope, key)
        try:
            return await getattr(target, verb)(*args, timeout=timeout_ms)
        except PlaywrightTimeout:
            found = await target.count()
            if found == 1:
                raise TransientError(f"panel '{self.name}': control '{key}' did not respond in time") from None
            if found == 0 and (failed := await page_failed(scope, self.name)):
                raise failed from None
            if found == 0:
                raise await self.missing(scope, key) from None
            raise SelectorError(self.name, key, found=found) from None
        except PlaywrightError as error:
            if match := STRICT_VIOLATION.search(str(error)):
                raise SelectorError(self.name, key, found=int(match.group(1))) from None
            raise


    async def missing(self, scope: Scope, key: str) -> SelectorError:
        """The control is not there: the error names what the page shows of its kind instead,
        so that whoever reads it sees the drift ("buttons shown: 'Cancel Item', 'Save'")."""
        spec = self.controls.get(key, {})
        return SelectorError(self.name, key, found=0, detail=await shown_instead(scope, spec))


async def shown_instead(scope: Scope, spec: Mapping[str, Any]) -> str:
    """What the page shows of a control's role (`buttons shown: 'Cancel Item', 'Save'`), or of
    its kind of label; empty when the selector has neither."""
    role = next((s["role"] for s in spec.get("any_of", [spec]) if "role" in s), None)
    try:
        if role is not None:
            names = await scope.get_by_role(role).filter(visible=True).all_inner_texts()
            kind = f"{role}s"
        elif any("label" in s for s in spec.get("any_of", [spec])):
            names = await scope.locator("label").filter(visible=True).all_inner_texts()
            kind = "labels"
        else:
            return ""
    except PlaywrightError:
        return ""
    names = list(dict.fromkeys(" ".join(name.split()) for name in names if name.strip()))
    if not names:
        return f"no {kind} shown"
    more = f" and {len(names) - 12} more" if len(names) > 12 else ""
    return f"{kind} shown: " + ", ".join(repr(name) for name in names[:12]) + more


async def page_failed(scope: Scope, panel: str) -> Exception | None:
    """A control or a title is missing because the page failed (5xx, no answer) or the
    session ended: passing troubles, not a changed portal. None otherwise."""
    page = scope if isinstance(scope, Page) else scope.page
    if status := server_failed(page):
        return ServerError(f"the portal answered HTTP {status} instead of panel '{panel}'")
    if await signed_out(page):
        return SessionExpired(panel)
    return None


async def signed_out(page: Page) -> bool:
    return bool(await login_shown(page).count())


def login_shown(page: Page) -> Locator:
    """The portal's login again (its own panel, or the Virtual Gateway's login or start
    page): the session has ended."""
    login = Panel.load("login").locator(page, "password")
    return login.or_(Panel.load("gateway_start").locator(page, "business_log_in"))


def build_locator(scope: Scope, spec: Mapping[str, Any]) -> Locator:
    if "any_of" in spec:
        alternatives = [build_locator(scope, alternative) for alternative in spec["any_of"]]
        combined = alternatives[0]
        for alternative in alternatives[1:]:
            combined = combined.or_(alternative)
        return combined
    exact = spec.get("exact", True)
    if "role" in spec:
        name = spec.get("name")
        pattern = re.compile(spec["pattern"], re.IGNORECASE) if "pattern" in spec else None
        if name is not None:
            pattern = loose(str(name), exact=exact)
        return scope.get_by_role(spec["role"], name=pattern) if pattern else scope.get_by_role(spec["role"])
    if "label" in spec:
        return scope.get_by_label(loose(str(spec["label"]), exact=exact))
    if "text" in spec:
        return scope.get_by_text(loose(str(spec["text"]), exact=exact))
    if "css" in spec:
        return scope.locator(spec["css"])
    raise ValueError(f"a selector needs role, label, text, css or any_of: {dict(spec)!r}")
