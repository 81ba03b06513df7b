"""`posc follow-up RUN_DIR`: each `done` unlink's request as Inquire Profile Update Status shows
it now (Submitted, In Process, Processed, Returned: the portal's own words), with a screenshot
of the list. Run again later, it says what changed since; every status it saw stays in the
request's history (follow-up.json), and the run's report gains a section.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robots.credentials import Credentials
from robots.engine.browser import BrowserHost, launch_options, playwright_apart
from robots.engine.flow import FlowContext, LogIn, Timeouts
from robots.engine.login_budget import LoginBudget
from robots.engine.page_status import track
from robots.errors import ConfigError
from robots.ledger.sqlite import SqliteLedger
from robots.one_time_codes import OneTimeCodes
from robots.reports.files import write_text
from robots.reports.refresh import finished_run
from robots.run_folder.evidence import Evidence

JSON = "follow-up.json"
PROCESSED = "processed"
NOT_LISTED = "not listed"


@dataclass(frozen=True)
class Change:
    record: int
    request_id: str
    before: str | None
    now: str


def follow_up(out_dir: Path, portal_url: str, credentials: Credentials, *, log_in: LogIn, read_statuses,
              timeouts: Timeouts | None = None) -> tuple[dict[str, Any], list[Change]]:
    """Reads the statuses, writes follow-up.json; returns it and what changed since the last
    follow-up. ConfigError for a folder that holds no unlink run with a done request."""
    results = finished_run(out_dir, "group_unlink", "follow-up reads unlink requests")
    done = [row for row in results["records"]
            if row["status"] == "done" and (row.get("confirmation") or {}).get("request_id")]
    if not done:
        raise ConfigError(f"{out_dir} has no done unlink with a request number to follow up")
    statuses, shot = asyncio.run(_read(out_dir, results["provider_id"], portal_url, credentials, log_in,
                                       read_statuses, timeouts or Timeouts()))
    checked = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    previous = {item["request_id"]: item for item in (_previous(out_dir) or {}).get("requests", [])}
    requests, changes = [], []
    for row in done:
        request_id = row["confirmation"]["request_id"]
        status = statuses.get(request_id, NOT_LISTED)
        history = list(previous.get(request_id, {}).get("history", []))
        before = history[-1]["status"] if history else None
        if before != status:
            history.append({"checked": checked, "status": status})
            changes.append(Change(row["index"], request_id, before, status))
        requests.append({"record": row["index"], "request_id": request_id, "status": status, "checked": checked,
                         "history": history})
    document = {"checked": checked, "portal": portal_url, "screenshot": shot, "requests": requests}
    write_text(out_dir / JSON, json.dumps(document, indent=2))
    return document, changes


async def _read(out_dir, provider_id, portal_url, credentials, log_in, read_statuses, timeouts):
    ledger = SqliteLedger.in_folder(out_dir)
    try:
        evidence = Evidence(out_dir, ledger.evidence_key())
    finally:
        ledger.close()
    stamp = f"{dt.date.today():%Y%m%d}"

    async def capture(panel, *, name: str | None = None) -> str:
        return await evidence.capture(panel, 0, "follow-up", name=f"{name or 'panel'}-{stamp}")

    codes = OneTimeCodes(credentials.user, credentials.authenticator) if credentials.authenticator else None
    async with playwright_apart() as playwright:
        host = BrowserHost(playwright, launch_options())
        try:
            context = await host.new_context()
            context.set_default_timeout(timeouts.element_ms)
            page = await context.new_page()
            track(page)
            await log_in(page, portal_url, credentials, gate=LoginBudget(portal_url, gap_s=0, codes=codes),
                         timeout_ms=timeouts.navigation_ms)
            ctx = FlowContext(portal_url=portal_url, provider_id=provider_id, dry_run=True, verify_first=False,
                              mark_submitting=_never, capture=capture, timeouts=timeouts)
            return await read_statuses(page, ctx)
        finally:
            await host.close()


def all_processed(document: dict[str, Any]) -> bool:
    return all(item["status"].casefold() == PROCESSED for item in document["requests"])


def _previous(out_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out_dir / JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _never() -> None:
    raise ConfigError("a follow-up submits nothing")
