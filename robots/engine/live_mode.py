"""MassHealth's RPA policy (All Provider Bulletin 345, effective July 2022): a bot must be
registered and approved before it runs against the real POSC, under its own user ID. So the
robot works only a loopback portal unless live mode is switched on explicitly, names the
bot's registration, and is confirmed.

A person confirms at the terminal, having read the portal, the registration, the record count
and the job's checksum; a scheduled run names the same facts ahead of time with
`--confirm-live` (the job's checksum, or the portal's host and the record count), so that a
nightly run of an edited job, or against another portal, is refused. Either way the run
records what was confirmed, how and when.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from robots.errors import ConfigError

CHECKSUM_PREFIX = re.compile(r"[0-9a-f]{12,64}")


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class LiveRun:
    """What was confirmed for a run against a live portal."""

    portal: str
    registration: str
    records: int
    job_sha256: str
    how: str
    at: str

    def as_dict(self) -> dict[str, Any]:
        return {"portal": self.portal, "rpa_registration": self.registration, "records": self.records,
                "job_sha256": self.job_sha256, "confirmed": self.how, "confirmed_at": self.at}


def check(
    url: str,
    *,
    live: bool,
    record_count: int,
    confirm: Callable[[str], bool] | None,
    registration: str | None = None,
    job_sha256: str = "",
    confirmed: str | None = None,
) -> LiveRun | None:
    """None for a loopback portal. Else refuses unless `live`, a `registration`, and either
    `confirmed` (given ahead of time) names this run or `confirm(question)` says yes."""
    if is_loopback(url):
        return None
    if not live:
        raise ConfigError(
            f"{url} is not a loopback portal: running against a live POSC needs --live, and the "
            "bot must be registered and approved by MassHealth first (All Provider Bulletin 345)"
        )
    if not registration or not registration.strip():
        raise ConfigError(
            "a live run needs the bot's MassHealth RPA registration: --rpa-registration ID or "
            "POSC_RPA_REGISTRATION (All Provider Bulletin 345: every bot is registered and approved first)"
        )
    registration = " ".join(registration.split())
    host = urlsplit(url).hostname or url
    if confirmed is not None:
        if not _names_this_run(confirmed, host=host, record_count=record_count, job_sha256=job_sha256):
            raise ConfigError(
                f"--confirm-live {confirmed!r} does not name this run: give the job's checksum "
                f"({job_sha256[:12]}, from `posc validate`) or {host}:{record_count}; nothing was run"
            )
        how = f"--confirm-live {confirmed}"
    else:
        question = (
            f"Run {record_count} records against the live portal {url} as the bot registered "
            f"{registration} (job {job_sha256[:12]})? The bot must be registered and approved by MassHealth."
        )
        if confirm is None or not confirm(question):
            raise ConfigError(
                f"live run against {url} not confirmed; nothing was run (a run nobody watches names it with "
                f"--confirm-live {job_sha256[:12]})"
            )
        how = "at the terminal"
    at = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    return LiveRun(url, registration, record_count, job_sha256, how, at)


def _names_this_run(confirmed: str, *, host: str, record_count: int, job_sha256: str) -> bool:
    given = confirmed.strip().lower()
    if CHECKSUM_PREFIX.fullmatch(given):
        return bool(job_sha256) and job_sha256.startswith(given)
    return given == f"{host.lower()}:{record_count}"
