"""Everything a run checks before it touches anything: the job file, the portal's address,
live mode (the bot's registration and a confirmation), who certifies an unlink's Agreement,
and the bot's credentials. A run that fails here has written nothing, not even its output
folder: usage errors exit 2 with the folder as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robots import fields as parse_fields
from robots.credentials import Credentials
from robots.credentials import resolve as resolve_credentials
from robots.engine import job_edits, live_mode
from robots.engine.certification import Certification
from robots.engine.config import RunConfig
from robots.engine.progress import Progress
from robots.errors import ConfigError, JobFileErrors
from robots.jobfile.job import Job, load_job
from robots.ledger.sqlite import SqliteLedger, finished_keys
from robots.one_time_codes import authenticator


@dataclass(frozen=True)
class Plan:
    job: Job
    job_sha256: str
    portal: str | None  # None: the bundled mock, started for the run
    out_dir: Path
    live: live_mode.LiveRun | None
    certification: Certification | None
    # Resolved now unless the folder holds a run already (a finished job needs none).
    credentials: Credentials | None

    def bot(self) -> dict[str, Any]:
        """Who ran it: the software, its version, the bot's login and its registration."""
        return {
            "software": "posc-robot",
            "version": _version(),
            "user": self.credentials.user if self.credentials else None,
            "rpa_registration": self.live.registration if self.live else None,
        }


def prepare(config: RunConfig, progress: Progress, *, distributed: bool = False) -> Plan:
    """`distributed`: the records are worked by `posc worker` processes on other hosts, with
    their own credentials and no terminal to ask at."""
    job = load_job(config.job_path)
    if config.headed:
        _check_display()
    if config.retry_records is not None:
        job_edits.check_retry(config.retry_records)
    checksum = job.checksum()
    portal = _portal_address(config.portal) or job.portal
    live = None
    if portal:
        live = live_mode.check(
            portal,
            live=config.live,
            record_count=len(job.records),
            confirm=config.confirm_live,
            registration=config.rpa_registration or os.environ.get("POSC_RPA_REGISTRATION"),
            job_sha256=checksum,
            confirmed=config.confirm_live_as,
        )
    if distributed and not portal:
        raise ConfigError("a run on several hosts needs --portal (or `portal:` in the job): workers on other "
                          "hosts cannot reach a bundled mock started here")
    certification = None
    if job.certified_by is not None and not config.dry_run:
        ask = None if distributed else config.confirm_certification
        certification = Certification(job.certified_by, certify=config.certify, ask=ask, note=progress.note)
    out_dir = config.output_folder(job.title)
    JobFileErrors.raise_if_any(job.past_end_dates(dt.date.today(), finished=finished_keys(out_dir)))
    credentials = config.credentials
    if credentials is None and not distributed and not (out_dir / SqliteLedger.FILE_NAME).exists():
        credentials = resolve_credentials(bundled_mock=portal is None)
    if credentials is not None and credentials.authenticator:
        authenticator(credentials.authenticator)  # a malformed key is a usage error, now
    return Plan(job, checksum, portal, out_dir, live, certification, credentials)


def _check_display() -> None:
    """A shown browser needs a screen: without one Chromium dies at every launch, which would
    look like a portal down, retried until the breaker stops the run."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise ConfigError("--headed needs a display, and this session has none (DISPLAY is not set): "
                          "run without --headed, or under xvfb-run")


def _portal_address(given: str | None) -> str | None:
    if given is None:
        return None
    try:
        return parse_fields.portal_url(given)
    except parse_fields.FieldError as error:
        raise ConfigError(f"--portal: {error}") from None


def _version() -> str:
    try:
        return importlib.metadata.version("posc-robot")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
