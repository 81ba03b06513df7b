"""Finding things on any instance of the portal the way the robot does: its selectors
(`selectors/*.yaml` through `flows.panels.Panel`), its loose names (`flows.panels.loose`: case,
spaces, colons, the required asterisk and "(required)" ignored, any other word not) and its idea
of a panel (the nearest ancestor of the panel's title holding more than the title, as
`flows.transitions` finds it). A title may be a heading, a table caption, a legend or plain
styled text; a button may be a link; a refusal is whatever the portal selector's `error` finds.

The flows use Playwright's async API and the suite the sync one: `build_locator` and
`Panel.locator` only build locators, so they serve both unchanged; what the flows do with awaits
(reading a panel, the error lines, the menu's ambiguity) has a small sync twin in this package.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Locator, Page, expect

from flows.panels import Panel, build_locator, loose, selectors_dir
from flows.transitions import PANEL_SCRIPT

Scope = Page | Locator

_TITLE_KEYS = {"Date Detail": ("service_provider_detail", "date_detail_title")}
# The pager's arrow back, spelled as selectors/list_of_servicing_providers.yaml spells next_page.
_PREVIOUS_PAGE = {"any_of": [{"role": role, "name": name} for role in ("link", "button")
                             for name in ("Previous page", "Previous", "◀", "«", "‹", "<")]}


@functools.cache
def _titled_panels() -> dict[str, Panel]:
    """Each selectors file with a title, by its panel's name."""
    panels = (Panel.load(path.stem) for path in sorted(selectors_dir().glob("*.yaml")))
    return {panel.name: panel for panel in panels if "title" in panel.controls}


def title(scope: Scope, name: str) -> Locator:
    """The visible title of panel `name`: its selectors file's `title`, else a heading or a
    text reading `name`."""
    if name in _TITLE_KEYS:
        stem, key = _TITLE_KEYS[name]
        return Panel.load(stem).locator(scope, key)
    if name in _titled_panels():
        return _titled_panels()[name].locator(scope, "title")
    spec = {"any_of": [{"role": "heading", "name": name}, {"text": name}]}
    return build_locator(scope, spec).filter(visible=True)


def panel(scope: Scope, name: str) -> Locator:
    """The panel `name` titles: the nearest ancestor of its title holding more than the title
    (the lazy twin of flows.transitions.region, so it is found again after each page load)."""
    return title(scope, name).first.locator("xpath=ancestor::*").filter(has_not_text=loose(name)).last


def panel_text(page: Page, name: str) -> str:
    """The panel's text on one line, read as the robot reads it (form fields' values too)."""
    heading = title(page, name)
    expect(heading.first, f"the title of the {name} panel").to_be_visible()
    return heading.first.evaluate(PANEL_SCRIPT, True)[1]


def field(scope: Scope, label: str) -> Locator:
    """The field labelled `label` (give or take case, colons and a required asterisk)."""
    return build_locator(scope, {"label": label}).filter(visible=True)


def near_field(scope: Scope, label: str) -> Locator:
    """The field whose label holds `label`'s words: for walking past a relabelled field."""
    return build_locator(scope, {"label": label, "exact": False}).filter(visible=True)


def action(scope: Scope, name: str) -> Locator:
    """A button or a link named `name` (a JSF portal draws many of its buttons as links)."""
    spec = {"any_of": [{"role": "button", "name": name}, {"role": "link", "name": name}]}
    return build_locator(scope, spec).filter(visible=True)


def link(scope: Scope, name: str) -> Locator:
    return build_locator(scope, {"role": "link", "name": name}).filter(visible=True)


def control(page: Scope, stem: str, key: str) -> Locator:
    """A control as the robot finds it: key `key` of `selectors/<stem>.yaml`."""
    return Panel.load(stem).locator(page, key)


def press(scope: Scope, stem: str, key: str) -> None:
    """Clicks the robot's control `key` of `selectors/<stem>.yaml`. When the page has none, the
    failure names what was expected and what the page shows instead, as check-selectors does."""
    target = control(scope, stem, key)
    try:
        expect(target.first).to_be_visible()
    except AssertionError:
        panel_name = Panel.load(stem).name
        raise AssertionError(f"{panel_name}: the control '{key}' ({_named(Panel.load(stem).controls[key])}) "
                             f"is not shown; {shown_instead(scope, Panel.load(stem).controls[key])}") from None
    target.first.click()


def expect_title(scope: Scope, name: str) -> None:
    """Panel `name` shows. When it does not, the failure names the panel expected and the
    headings the page shows instead (a renamed title reads as the near match it is)."""
    try:
        expect(title(scope, name).first).to_be_visible()
    except AssertionError:
        shown = shown_instead(scope, {"role": "heading"})
        raise AssertionError(f"the {name!r} panel is not shown (its title is not found); {shown}") from None


def expect_shown(target: Locator, what: str, scope: Scope, *, like: Mapping[str, Any]) -> None:
    """`target` shows; when it does not, the failure names `what` was expected and what the
    page shows of its kind instead (`like`: a selector of that kind, `{"role": "button"}`)."""
    try:
        expect(target.first).to_be_visible()
    except AssertionError:
        raise AssertionError(f"{what} is not shown; {shown_instead(scope, like)}") from None


def _named(spec: Mapping[str, Any]) -> str:
    names = [s.get("name") or s.get("label") or s.get("text") for s in spec.get("any_of", [spec])]
    return " or ".join(repr(name) for name in dict.fromkeys(names) if name)


def shown_instead(scope: Scope, spec: Mapping[str, Any]) -> str:
    """The sync twin of flows.panels.shown_instead: `buttons shown: 'Cancel Item', 'Save'`."""
    role = next((s["role"] for s in spec.get("any_of", [spec]) if "role" in s), None)
    found = scope.get_by_role(role) if role else scope.locator("label")
    names = list(dict.fromkeys(" ".join(n.split()) for n in found.filter(visible=True).all_inner_texts() if n.strip()))
    kind = f"{role}s" if role else "labels"
    return f"{kind} shown: " + ", ".join(repr(name) for name in names[:12]) if names else f"no {kind} shown"


def error(page: Page) -> Locator:
    return control(page, "portal", "error")


def notice(page: Page) -> Locator:
    return control(page, "portal", "notice")


def previous_page(scope: Scope) -> Locator:
    return build_locator(scope, _PREVIOUS_PAGE).filter(visible=True)


def signed_in_marker(page: Page) -> Locator:
    return control(page, "portal", "signed_in")


def login_panel_shown(page: Page) -> Locator:
    return control(page, "login", "password")


def list_table(region: Locator, header: str | re.Pattern[str]) -> Locator:
    """The table of a list panel: the innermost table holding the column `header` (a portal
    may lay the whole page out in tables)."""
    name = loose(header) if isinstance(header, str) else header
    return region.get_by_role("table").filter(has=region.page.get_by_role("columnheader", name=name)).last
