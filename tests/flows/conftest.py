"""Flow tests: the robot, in-process, drives a real Chromium against the real mock portal
process. Each test writes its job file, runs it, and reads the run's outputs and the portal's
inspection endpoint."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from playwright.async_api import Page, async_playwright

from flows import POSC
from robots.engine.browser import launch_options
from robots.engine.config import Retry, RunConfig
from robots.engine.flow import Timeouts
from robots.engine.runner import RunSummary, run
from tests.conftest import CERTIFIER, credentials_env

# Short waits: the mock answers in milliseconds, and a test that waits should fail fast;
# long enough for two test processes sharing two cores.
FAST_TIMEOUTS = Timeouts(element_ms=6_000, navigation_ms=12_000, submit_ms=6_000, attempt_ms=90_000)
FAST_RETRY = Retry(attempts=3, initial_s=0.05, max_s=0.3, jitter_s=0.05)


T = TypeVar("T")


def in_chromium(scenario: Callable[[Page], Awaitable[T]], *, timeout_s: float = 120) -> T:
    """`scenario(page)` on a fresh page of a real Chromium, with the async API the flows use,
    in a thread of its own (pytest-playwright's sync API keeps the main thread's loop)."""

    async def run_it() -> T:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options())
            try:
                return await scenario(await browser.new_page())
            finally:
                await browser.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run_it()).result(timeout=timeout_s)


def write_job(folder: Path, kind: str, provider_id: str, records: list[dict[str, Any]], **extra: Any) -> Path:
    path = folder / f"{kind}.yaml"
    if kind == "group_unlink":
        extra.setdefault("certified_by", CERTIFIER)
    document = {"job": kind, "provider_id": provider_id, **extra, "records": records}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def run_job(job: Path, portal_url: str, out_dir: Path, **options: Any) -> RunSummary:
    """`robots.engine.runner.run` in a thread of its own: its event loop never meets the one
    pytest-playwright's sync API keeps in the main thread."""
    timeout_s = options.pop("timeout_s", 600)
    config = RunConfig(
        job_path=job,
        out_dir=out_dir,
        portal=portal_url,
        timeouts=options.pop("timeouts", FAST_TIMEOUTS),
        retry=options.pop("retry", FAST_RETRY),
        login_gap_s=options.pop("login_gap_s", 0),
        pdf=options.pop("pdf", False),  # a second or two each: its own test prints one
        certify=options.pop("certify", CERTIFIER["name"]),
        **options,
    )
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run, config, flows=POSC).result(timeout=timeout_s)


def results(out_dir: Path) -> list[dict[str, Any]]:
    return json.loads((out_dir / "results.json").read_text())["records"]


def statuses(out_dir: Path) -> dict[str, str]:
    return {row["key"]: row["status"] for row in results(out_dir)}


@pytest.fixture
def portal(mock_portal, credentials, monkeypatch):
    """The bundled mock portal (default fixture), fresh for the test, with its demo user's
    credentials in the environment as an ops person would set them."""
    for name, value in credentials_env(credentials).items():
        monkeypatch.setenv(name, value)
    return mock_portal
