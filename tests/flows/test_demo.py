"""The README's first command ends in `posc demo`: the example jobs against the bundled mock."""

from __future__ import annotations

import json
import subprocess
import sys

from robots.demo import example_jobs


def test_example_jobs_are_valid():
    finished = subprocess.run([sys.executable, "-m", "robots", "validate", *map(str, example_jobs())],
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert len(example_jobs()) >= 2


def test_demo_runs_every_example_job_with_a_screenshot_for_every_done_record(tmp_path):
    finished = subprocess.run([sys.executable, "-m", "robots", "demo", "--out", str(tmp_path)],
                              capture_output=True, text=True, timeout=300)

    assert finished.returncode == 0, finished.stdout + finished.stderr
    for job in example_jobs():
        out = tmp_path / job.stem
        assert f"report: {out / 'report.html'}" in finished.stdout
        rows = json.loads((out / "results.json").read_text())["records"]
        assert rows and {row["status"] for row in rows} == {"done"}
        assert all((out / row["screenshot"]).is_file() for row in rows)
