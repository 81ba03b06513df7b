"""Records a minute on several worker processes against one machine's run.

    .venv/bin/python benchmarks/scaleout.py [--records 60] [--processes 1,2,3] [--latency 300-1500]

Starts real PostgreSQL and Redis servers (tests/servers.py) and the bundled mock with every
page answered 300-1500 ms late (a realistic portal's pace), then measures, each from a fresh
mock state:

  single      `posc run` on one machine, with --workers equal to the processes of the row
  celery wN   `posc run --ledger --queue` followed by N `posc worker` processes (one Chromium each)

and prints one JSON document: records a minute from the first record's start to the last one's
end (browser starts and logins included), and the ratio to one process. On two cores, more
processes than cores compete for them: the figures say how far the machine carries it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CERTIFIER, MockPortal, credentials_env  # noqa: E402
from tests.flows.conftest import write_job  # noqa: E402
from tests.resilience import fixture_builder as fb  # noqa: E402
from tests.servers import PostgresServer, RedisServer  # noqa: E402


def _rate(out: Path) -> float:
    rows = json.loads((out / "results.json").read_text())["records"]
    starts = [dt.datetime.fromisoformat(r["started"]).timestamp() for r in rows if r["started"]]
    ends = [dt.datetime.fromisoformat(r["finished"]).timestamp() for r in rows if r["finished"]]
    return round(len(rows) / (max(ends) - min(starts)) * 60, 2)


def _reset(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{url}/_mock/reset", method="POST", data=b""), timeout=10).close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--processes", default="1,2,3")
    parser.add_argument("--latency", default="300-1500")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="posc-scaleout-"))
    fixture = fb.write_fixture(folder, args.records, 1)
    job = write_job(folder, "disenroll_one_care", fb.PLAN, fb.disenroll_records(args.records),
                    defaults={"reason": "Member request"})
    env = {**os.environ, **credentials_env(fb.credentials())}
    report: dict = {"machine": {"cpus": os.cpu_count()}, "records": args.records, "latency_ms": args.latency,
                    "runs": []}
    with PostgresServer() as pg, RedisServer() as broker, \
            MockPortal(fixture=fixture, faults=f"latency_ms={args.latency}") as portal:
        for n in (int(p) for p in args.processes.split(",")):
            _reset(portal.url)
            out = folder / f"single-w{n}"
            subprocess.run([sys.executable, "-m", "robots", "run", str(job), "--portal", portal.url, "--out", str(out),
                            "--workers", str(n), "--login-gap", "0", "--no-pdf"], env=env, check=True,
                           capture_output=True)
            report["runs"].append({"run": f"single w{n}", "records_per_minute": _rate(out)})
            _reset(portal.url)
            ledger = pg.create_database(f"bench{n}")
            workers = [subprocess.Popen([sys.executable, "-m", "robots", "worker", "--lease", "30"],
                                        env={**env, "POSC_LEDGER_URL": ledger, "POSC_QUEUE_URL": broker.url},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                       for _ in range(n)]
            try:
                out = folder / f"celery-w{n}"
                subprocess.run([sys.executable, "-m", "robots", "run", str(job), "--portal", portal.url, "--out",
                                str(out), "--ledger", ledger, "--queue", broker.url, "--certify", CERTIFIER["name"],
                                "--login-gap", "0", "--no-pdf"], env=env, check=True, capture_output=True)
                report["runs"].append({"run": f"celery w{n}", "records_per_minute": _rate(out)})
            finally:
                for worker in workers:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(worker.pid, signal.SIGTERM)
                    worker.wait()
    rates = {run["run"]: run["records_per_minute"] for run in report["runs"]}
    report["ratios"] = {name: round(rate / rates[name.rsplit(" ", 1)[0] + " w1"], 2) for name, rate in rates.items()}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
