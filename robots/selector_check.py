"""`posc check-selectors` (QA kit): visits every panel and reports each selector that does
not resolve to exactly one element. Built in its own issue."""

from __future__ import annotations

from pathlib import Path

from robots.errors import ConfigError


def check_selectors(*, portal, out_dir: Path, live: bool, data, confirm_live) -> int:
    raise ConfigError("check-selectors is not built yet")
