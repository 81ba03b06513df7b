"""Throughput of the robot against a bare Playwright loop, on the bundled mock.

    .venv/bin/python benchmarks/throughput.py [--records 120] [--workers 1,2,4]
                                              [--members 10000] [--memory-records 0]

Makes a fixture with the mock's generator, starts the mock on loopback, and measures, each
from a fresh mock state (POST /_mock/reset):

  bare       a Playwright loop written as tightly as possible: the same panels, the same
             screenshot of the confirmation panel per record; no ledger, report or retries
  robot wN   `posc run` on the same records with --workers N

and prints one JSON document: records per minute, per-record latency p50/p95, peak memory
(RSS) of the measured process and of its browser processes, and the ratios robot/bare and
workers-N/workers-1. Then: resume of a finished 10,000-record job, validation of a
10,000-record job file, and screenshot bytes per record. `--memory-records N` adds a long
run whose memory is sampled as it goes (flat after warm-up means no per-record leak).
See docs/performance.md for how to read it and this machine's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from robots.engine.portal_process import PortalProcess  # noqa: E402

PLAN = "110000000A"
USER, PASSWORD = "posc.demo", "Demo-Passw0rd!"


# ---------------------------------------------------------------- processes and memory

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss_kib(pid: int) -> int:
    try:
        for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_browser(pid: int) -> bool:
    try:
        return b"chrom" in (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False


class MemorySampler:
    """Samples the RSS of a process and, apart, of the browser processes below it."""

    def __init__(self, pid: int, every_s: float = 0.25) -> None:
        self.pid, self.every_s = pid, every_s
        self.peak_process_kib = self.peak_browser_kib = 0
        self.samples: list[tuple[float, int, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = time.monotonic()
        while not self._stop.wait(self.every_s):
            tree, stack, browser = _children(), [self.pid], 0
            while stack:
                for child in tree.get(stack.pop(), []):
                    stack.append(child)
                    if _is_browser(child):
                        browser += _rss_kib(child)
            process = _rss_kib(self.pid)
            self.samples.append((time.monotonic() - started, process, browser))
            self.peak_process_kib = max(self.peak_process_kib, process)
            self.peak_browser_kib = max(self.peak_browser_kib, browser)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(command: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, MemorySampler]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with MemorySampler(process.pid) as sampler:
        stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), sampler


# ---------------------------------------------------------------- the figures

def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _figures(name: str, latencies_s: list[float], span_s: float, sampler: MemorySampler) -> dict:
    return {
        "run": name,
        "records": len(latencies_s),
        "records_per_minute": round(len(latencies_s) / span_s * 60, 1),
        "latency_p50_ms": round(_percentile(latencies_s, 0.5) * 1000),
        "latency_p95_ms": round(_percentile(latencies_s, 0.95) * 1000),
        "peak_process_mib": round(sampler.peak_process_kib / 1024, 1),
        "peak_browser_mib": round(sampler.peak_browser_kib / 1024, 1),
    }


def _reset(portal_url: str) -> None:
    request = urllib.request.Request(f"{portal_url}/_mock/reset", method="POST", data=b"")
    urllib.request.urlopen(request, timeout=30).close()


def _submitted(portal_url: str) -> int:
    with urllib.request.urlopen(f"{portal_url}/_mock/transactions", timeout=30) as response:
        return len(json.load(response))


def run_bare(portal_url: str, records: list[dict], out: Path, env: dict[str, str]) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    records_file = out / "records.json"
    records_file.write_text(json.dumps(records))
    done, sampler = _measure(
        [sys.executable, str(ROOT / "benchmarks" / "bare_loop.py"), portal_url, str(records_file), str(out)], env
    )
    if done.returncode != 0:
        raise SystemExit(f"bare loop failed: {done.stderr[-2000:]}")
    timings = json.loads(done.stdout)
    return _figures("bare", timings["latencies_s"], timings["span_s"], sampler)


def run_robot(portal_url: str, job: Path, out: Path, workers: int, env: dict[str, str]) -> dict:
    done, sampler = _measure(
        [sys.executable, "-m", "robots", "run", str(job), "--portal", portal_url, "--out", str(out),
         "--workers", str(workers)],
        env,
    )
    if done.returncode != 0:
        raise SystemExit(f"posc run failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    rows = json.loads((out / "results.json").read_text())["records"]
    starts = [_iso(r["started"]) for r in rows]
    ends = [_iso(r["finished"]) for r in rows]
    latencies = [end - start for start, end in zip(starts, ends, strict=True)]
    figures = _figures(f"robot w{workers}", latencies, max(ends) - min(starts), sampler)
    shots = [out / r["screenshot"] for r in rows if r["screenshot"]]
    figures["screenshot_bytes_per_record"] = round(statistics.mean(p.stat().st_size for p in shots)) if shots else 0
    return figures


def _iso(text: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(text).timestamp()


def memory_run(portal_url: str, job: Path, out: Path, workers: int, env: dict[str, str]) -> dict:
    """A long run; memory sampled every few seconds, summarised per tenth of the run."""
    done, sampler = _measure(
        [sys.executable, "-m", "robots", "run", str(job), "--portal", portal_url, "--out", str(out),
         "--workers", str(workers)],
        env,
    )
    samples = sampler.samples
    tenths = []
    for i in range(10):
        part = samples[len(samples) * i // 10: len(samples) * (i + 1) // 10] or samples[-1:]
        tenths.append({
            "process_mib": round(max(s[1] for s in part) / 1024, 1),
            "browser_mib": round(max(s[2] for s in part) / 1024, 1),
        })
    return {"records": len(json.loads((out / "results.json").read_text())["records"]), "exit": done.returncode,
            "memory_by_tenth_of_run": tenths}


def resume_and_validate(folder: Path) -> dict:
    """A finished 10,000-record job resumed (nothing to do), and its file validated."""
    from robots.jobfile.job import load_job
    from robots.ledger.base import Outcome, RecordState
    from robots.ledger.sqlite import SqliteLedger

    records = [{"member_id": f"{200000000000 + n}", "last_name": "RIVERA", "first_name": "ANA"} for n in range(10_000)]
    job = _write_job(folder, "ten-thousand", records)
    started = time.perf_counter()
    loaded = load_job(job)
    validate_s = time.perf_counter() - started

    out = folder / "ten-thousand-run"
    out.mkdir(mode=0o700)
    (out / "screenshots").mkdir(mode=0o700)
    thumbnail = _tiny_jpeg()
    ledger = SqliteLedger.in_folder(out)
    ledger.sync(loaded.identity, ((r.key, loaded.kind.to_fields(r)) for r in loaded.records))
    for n, record in enumerate(loaded.records, start=1):
        shot = f"screenshots/{n:06d}.png"
        (out / shot.replace(".png", ".thumb.jpg")).write_bytes(thumbnail)
        ledger.claim(record.key)
        ledger.settle(record.key, Outcome(RecordState.DONE, "Disenrollment validated by MMIS", None, shot))
    ledger.close()
    started = time.perf_counter()
    resumed = subprocess.run([sys.executable, "-m", "robots", "run", str(job), "--out", str(out)],
                             capture_output=True, text=True)
    resume_s = time.perf_counter() - started
    started = time.perf_counter()
    validated = subprocess.run([sys.executable, "-m", "robots", "validate", str(job)], capture_output=True, text=True)
    validate_command_s = time.perf_counter() - started
    return {
        "validate_10000_in_process_s": round(validate_s, 3),
        "validate_10000_command_s": round(validate_command_s, 3),
        "validate_exit": validated.returncode,
        "resume_finished_10000_command_s": round(resume_s, 3),
        "resume_exit": resumed.returncode,
    }


def _tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (160, 40), "white").save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _write_job(folder: Path, name: str, records: list[dict]) -> Path:
    path = folder / f"{name}.yaml"
    lines = [
        f"job: disenroll_one_care\nname: {name}\nprovider_id: \"{PLAN}\"\n"
        "defaults: {reason: Member request}\nrecords:"
    ]
    lines += [f"  - {json.dumps(r)}" for r in records]
    path.write_text("\n".join(lines) + "\n")
    return path


def _members(fixture: Path, count: int) -> list[dict]:
    """Members of the demo user's plan, without a pending disenrollment: each one a `done`."""
    data = yaml.load(fixture.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    chosen = [
        {"member_id": m["member_id"], "last_name": m["last_name"], "first_name": m["first_name"]}
        for m in data["members"]
        if m.get("one_care_plan") == PLAN and not m.get("pending_disenrollment")
    ]
    if len(chosen) < count:
        raise SystemExit(f"the fixture has only {len(chosen)} members of {PLAN}; raise --members")
    return chosen[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=120)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--memory-records", type=int, default=0)
    parser.add_argument("--memory-workers", type=int, default=4)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="posc-bench-"))
    fixture = folder / "fixture.yaml"
    subprocess.run([sys.executable, "-m", "mock_portal.generator", "--members", str(args.members),
                    "--out", str(fixture)], check=True)
    records = _members(fixture, max(args.records, args.memory_records))
    env = {**os.environ, "POSC_USER": USER, "POSC_PASSWORD": PASSWORD}
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "runs": []}
    # The POSC's own login panel: the figures are the workflows', not the Virtual Gateway's
    # (whose verification codes space a run's logins 30 s apart).
    with PortalProcess(fixture=fixture, login="simple") as portal:
        assert portal.url is not None
        _reset(portal.url)
        report["runs"].append(run_bare(portal.url, records[: args.records], folder / "bare", env))
        job = _write_job(folder, "throughput", records[: args.records])
        for workers in (int(w) for w in args.workers.split(",")):
            _reset(portal.url)
            report["runs"].append(run_robot(portal.url, job, folder / f"robot-w{workers}", workers, env))
            assert _submitted(portal.url) == args.records, "every record submitted exactly once"
        if args.memory_records:
            _reset(portal.url)
            long_job = _write_job(folder, "memory", records[: args.memory_records])
            report["memory"] = memory_run(portal.url, long_job, folder / "memory", args.memory_workers, env)
    by_name = {run["run"]: run for run in report["runs"]}
    rate = {name: run["records_per_minute"] for name, run in by_name.items()}
    report["ratios"] = {
        f"{name}/bare": round(rate[name] / rate["bare"], 3) for name in rate if name.startswith("robot")
    }
    if "robot w1" in rate:
        report["ratios"].update({
            f"{name}/robot w1": round(rate[name] / rate["robot w1"], 3)
            for name in rate if name.startswith("robot w") and name != "robot w1"
        })
    report["ten_thousand"] = resume_and_validate(folder)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
