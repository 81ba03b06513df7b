"""Choosing an entry of a list panel by its name, as a person does: "Select the appropriate
Service Location", "Click on the Business/Name to select a Service Provider".

Portals draw such a choice three ways: a link (the job aids' pictures), a button, or a row
that is clickable as a whole (JSF data tables with row selection), where only the cell
carries the name. The first of these that the panel has is the choice; the name is matched
whole (case and spacing aside), so "SMITH, JOHN" never picks "SMITH, JOHNATHAN".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.async_api import Locator, Page

from flows.panels import loose


def named(scope: Locator, name: str | re.Pattern[str]) -> list[Locator]:
    """The ways `name` may be chosen within `scope`, most explicit first (all lazy)."""
    pattern = loose(name) if isinstance(name, str) else name
    return [
        scope.get_by_role("link", name=pattern).filter(visible=True),
        scope.get_by_role("button", name=pattern).filter(visible=True),
        scope.get_by_role("cell", name=pattern).or_(scope.get_by_role("gridcell", name=pattern)).filter(visible=True),
    ]


async def choice(scope: Locator, name: str | re.Pattern[str]) -> tuple[Locator, int]:
    """The entries named `name` in the first form the panel uses, and how many there are
    (0 when the panel lists no such name)."""
    ways = named(scope, name)
    for way in ways:
        if count := await way.count():
            return way, count
    return ways[0], 0


async def clickable(row: Locator) -> Locator:
    """What to click to choose a table row: its link, else its button, else its first cell."""
    for way in (row.get_by_role("link"), row.get_by_role("button")):
        if await way.count():
            return way.first
    return row.get_by_role("cell").or_(row.get_by_role("rowheader")).or_(row.get_by_role("gridcell")).first


def innermost_rows(scope: Page | Locator, narrow: Callable[[Locator], Locator]) -> Locator:
    """The table rows of `scope` that `narrow` keeps, innermost only: legacy portals lay pages
    out in tables, so a row of the layout holds every row of the list inside it too."""
    page = scope if isinstance(scope, Page) else scope.page
    # The inner locator is the page's: Playwright queries it within each row.
    return narrow(scope.get_by_role("row")).filter(has_not=narrow(page.get_by_role("row")))
