"""The audit packet brought up to date after the run: report.html (and its printed copy) with
what was learnt since, and manifest.json over the folder as it now is. Under the folder's
lock: never beside a run working in it."""

from __future__ import annotations

import os
from pathlib import Path

from robots.engine.print_report import print_report
from robots.reports import manifest
from robots.reports.refresh import refresh_report, results_of
from robots.run_folder.folder import FolderLock


def repack(out_dir: Path, *, pdf: bool = True) -> None:
    previous_umask = os.umask(0o077)
    try:
        with FolderLock(out_dir):
            report = refresh_report(out_dir)
            if pdf and (out_dir / "report.pdf").exists():
                print_report(report)
            manifest.write(out_dir, job_sha256=results_of(out_dir).get("job_sha256", ""))
    finally:
        os.umask(previous_umask)
