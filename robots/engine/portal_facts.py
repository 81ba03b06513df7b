"""What `posc validate --portal URL` checks on the portal itself: the options of a list a
job's records choose from (the Disenrollment Reason dropdown), read once by walking one
record to its panel. Nothing is chosen and nothing is submitted; it logs in once, as a run
would, under the same login budget.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from robots.credentials import Credentials
from robots.engine.browser import BrowserHost, launch_options, playwright_apart
from robots.engine.flow import FlowContext, PortalFlows, Timeouts
from robots.engine.login_budget import LoginBudget
from robots.engine.page_status import track
from robots.errors import ConfigError, JobFileError, Rejection
from robots.jobfile.job import Job
from robots.one_time_codes import OneTimeCodes

# Records walked at most, to find one the portal shows the list for (a member the portal
# refuses shows no Disenrollment panel).
TRIES = 5


@dataclass(frozen=True)
class ListCheck:
    field: str
    offered: tuple[str, ...] | None  # None: no record reached the list's panel
    problems: tuple[JobFileError, ...]

    def summary(self, portal: str) -> str:
        if self.offered is None:
            return f"could not reach the {self.field} list on {portal}: the portal refused the first {TRIES} records"
        verdict = "every record's is offered" if not self.problems else f"{len(self.problems)} not offered"
        return f"checked against {portal}: the {self.field} list offers {len(self.offered)} ({verdict})"


def check_options(job: Job, flows: PortalFlows, portal_url: str, credentials: Credentials, *,
                  browser_path: str | None = None, timeouts: Timeouts | None = None) -> ListCheck | None:
    """None when the job's kind chooses from no list."""
    if job.kind.name not in flows.options:
        return None
    field, read = flows.options[job.kind.name]
    offered = asyncio.run(_read(job, flows, read, portal_url, credentials, browser_path, timeouts or Timeouts()))
    problems = []
    if offered is not None:
        known = {option.casefold() for option in offered}
        records_file = job.files[-1] if len(job.files) > 1 else job.path
        for number, (record, line) in enumerate(zip(job.records, job.lines, strict=True), start=1):
            value = getattr(record, field)
            if value.casefold() not in known:
                problems.append(JobFileError(
                    f"the portal's list offers no {value!r}; it offers: {', '.join(offered)}",
                    file=records_file, record=number, field=field, line=line))
    return ListCheck(field, tuple(offered) if offered is not None else None, tuple(problems))


async def _read(job, flows, read, portal_url, credentials, browser_path, timeouts) -> list[str] | None:
    codes = OneTimeCodes(credentials.user, credentials.authenticator) if credentials.authenticator else None
    gate = LoginBudget(portal_url, gap_s=0, codes=codes)
    async with playwright_apart() as playwright:
        host = BrowserHost(playwright, launch_options(browser_path))
        try:
            context = await host.new_context()
            context.set_default_timeout(timeouts.element_ms)
            page = await context.new_page()
            track(page)
            await flows.log_in(page, portal_url, credentials, gate=gate, timeout_ms=timeouts.navigation_ms)
            ctx = FlowContext(portal_url=portal_url, provider_id=job.provider_id, dry_run=True, verify_first=False,
                              mark_submitting=_never, capture=_no_evidence, timeouts=timeouts)
            for record in job.records[:TRIES]:
                try:
                    return await read(page, record, ctx)
                except Rejection:
                    continue
            return None
        finally:
            await host.close()


def _never() -> None:
    raise ConfigError("posc validate submits nothing")


async def _no_evidence(_panel, **_names) -> str:
    return ""
