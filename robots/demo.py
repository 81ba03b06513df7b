"""`posc demo`: the example jobs of `jobs/` against the bundled mock portal, started once on a
free loopback port; a summary of each and the reports' paths."""

from __future__ import annotations

import sys
from pathlib import Path

from flows import POSC
from robots.credentials import mock_demo
from robots.engine import progress
from robots.engine.config import RunConfig
from robots.engine.portal_process import PortalProcess
from robots.engine.runner import run
from robots.jobfile.job import load_job


def jobs_dir() -> Path:
    beside = Path(__file__).resolve().parent.parent / "jobs"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "posc-robot" / "jobs"


def example_jobs() -> list[Path]:
    return sorted(jobs_dir().glob("*.yaml"))


def run_demo(out_dir: Path, *, workers: int = 2, headed: bool = False) -> int:
    jobs = example_jobs()
    if not jobs:
        print(f"posc demo: no example jobs in {jobs_dir()}", file=sys.stderr)
        return 2
    worst = 0
    with PortalProcess() as portal:
        print(f"Bundled mock POSC portal at {portal.url} (demo user; nothing leaves this machine)")
        for job in jobs:
            summary = run(
                RunConfig(
                    job_path=job, out_dir=out_dir / job.stem, portal=portal.url, workers=workers, headed=headed,
                    credentials=mock_demo(),
                    # The mock's made-up practice: its example certifier stands for the person.
                    certify=_certifier_of(job),
                ),
                flows=POSC,
                progress=progress.for_stream(sys.stdout),
            )
            totals = ", ".join(f"{s.replace('_', ' ')} {n}" for s, n in sorted(summary.totals.items()) if n)
            print(f"{summary.job}: {totals}")
            print(f"  report: {summary.report}")
            worst = max(worst, summary.exit_code)
    return worst


def _certifier_of(job: Path) -> str | None:
    certified_by = load_job(job).certified_by
    return certified_by.name if certified_by else None
