"""MassHealth's RPA policy (All Provider Bulletin 345, effective July 2022): a bot must be
registered and approved before it runs against the real POSC. So the robot works only a
loopback portal unless live mode is switched on explicitly and confirmed."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from robots.errors import ConfigError


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(url: str, *, live: bool, record_count: int, confirm: Callable[[str], bool] | None) -> None:
    """Refuses a non-loopback portal unless `live` and `confirm(question)` says yes."""
    if is_loopback(url):
        return
    if not live:
        raise ConfigError(
            f"{url} is not a loopback portal: running against a live POSC needs --live, and the "
            "bot must be registered and approved by MassHealth first (All Provider Bulletin 345)"
        )
    question = (
        f"Run {record_count} records against the live portal {url}? "
        "This bot must be registered and approved by MassHealth."
    )
    if confirm is None or not confirm(question):
        raise ConfigError(f"live run against {url} not confirmed; nothing was run")
