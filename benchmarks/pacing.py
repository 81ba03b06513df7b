"""Pacing: `posc run --pace N/min` holds all workers together to N records a minute.

    .venv/bin/python benchmarks/pacing.py [--records 60] [--pace 30] [--workers 4]

Starts the bundled mock (its default fixture, on loopback), runs a job of `--records`
disenrollments with `--workers` workers at `--pace N/min`, and prints one JSON document: the
elapsed time, the time the pace implies ((records - 1) / N minutes: the first record starts
at once), and the records a minute achieved. 60 records at 30/min take about two minutes
however many workers run; without `--pace` the same job takes seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import PASSWORD, USER, _members, _write_job  # noqa: E402

from mock_portal.fixture import default_path  # noqa: E402
from robots.engine.portal_process import PortalProcess  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--pace", type=float, default=30, help="records a minute")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="posc-pacing-"))
    job = _write_job(folder, "pacing", _members(default_path(), args.records))
    env = {**os.environ, "POSC_USER": USER, "POSC_PASSWORD": PASSWORD}
    # The POSC's own login panel: what is measured is the pace of records, not of logins.
    with PortalProcess(login="simple") as portal:
        began = time.monotonic()
        finished = subprocess.run(
            [sys.executable, "-m", "robots", "run", str(job), "--portal", portal.url, "--out", str(folder / "out"),
             "--workers", str(args.workers), "--pace", f"{args.pace:g}/min", "--login-gap", "0"],
            capture_output=True, text=True, env=env,
        )
        elapsed = time.monotonic() - began
    if finished.returncode != 0:
        print(finished.stdout[-2000:], finished.stderr[-2000:], file=sys.stderr)
        return 1
    report = json.loads((folder / "out" / "results.json").read_text())
    starts = sorted(time_of(row["started"]) for row in report["records"])
    print(json.dumps({
        "records": args.records,
        "workers": args.workers,
        "pace_per_min": args.pace,
        "elapsed_s": round(elapsed, 1),
        "first_to_last_start_s": round(starts[-1] - starts[0], 1),
        "pace_implies_s": round((args.records - 1) * 60 / args.pace, 1),
        "achieved_per_min": round((args.records - 1) / (starts[-1] - starts[0]) * 60, 2),
    }, indent=2))
    return 0


def time_of(stamp: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(stamp).timestamp()


if __name__ == "__main__":
    sys.exit(main())
