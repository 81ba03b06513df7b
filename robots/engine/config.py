"""`RunConfig`: everything a run needs to know, frozen. `posc run` parses its arguments into
one; tests and other programs build one directly and call `robots.engine.runner.run`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from robots.credentials import Credentials
from robots.engine.flow import Timeouts
from robots.engine.pacing import Window

DEFAULT_RUNS_DIR = Path("posc-runs")


@dataclass(frozen=True)
class Retry:
    """Transient errors: exponential backoff with jitter, bounded."""

    attempts: int = 6
    initial_s: float = 1.0
    max_s: float = 20.0
    jitter_s: float = 1.0


@dataclass(frozen=True)
class RunConfig:
    job_path: Path
    out_dir: Path | None = None
    portal: str | None = None
    workers: int = 2
    dry_run: bool = False
    headed: bool = False
    slow_mo_ms: int = 0
    live: bool = False
    # Asked (with the portal, the bot's registration and the record count) before a live run;
    # None refuses live runs.
    confirm_live: Callable[[str], bool] | None = field(default=None, compare=False)
    # A live run confirmed ahead of time (a run nobody watches): the job's checksum prefix, or
    # the portal's host and the record count (`posc.example:120`).
    confirm_live_as: str | None = None
    # The bot's MassHealth RPA registration (All Provider Bulletin 345): required for --live.
    rpa_registration: str | None = None
    # The unlink's Agreement: the certifier's name given ahead of time (--certify), or a
    # question to the person at the terminal; with neither, an unlink run is refused.
    certify: str | None = None
    confirm_certification: Callable[[str], bool] | None = field(default=None, compare=False)
    # Records worked again on purpose (`--retry`): `rejected`, `failed`, or record numbers.
    retry_records: str | None = None
    # The login budget: logins at least this far apart, across all workers.
    login_gap_s: float = 10.0
    # Pacing: records a minute across all workers (None: as fast as the workers go), and the
    # local-time window records may start in.
    pace_per_min: float | None = None
    window: Window | None = None
    browser_path: str | None = None
    # Explicit credentials (the demo's, for the mock it started); None: the environment.
    credentials: Credentials | None = field(default=None, repr=False)
    retry: Retry = field(default_factory=Retry)
    timeouts: Timeouts = field(default_factory=Timeouts)
    # System failures in a row (across workers) after which the run stops: the portal is down.
    breaker_threshold: int = 8
    # report.pdf beside report.html (Chromium prints it: a second or two).
    pdf: bool = True
    # A fresh browser context every N records keeps a long run's memory flat.
    recycle_every: int = 200

    def output_folder(self, job_title: str) -> Path:
        if self.out_dir is not None:
            return self.out_dir
        slug = re.sub(r"[^A-Za-z0-9]+", "-", job_title).strip("-").lower() or "job"
        return DEFAULT_RUNS_DIR / slug
