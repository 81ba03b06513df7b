"""The audit packet a compliance officer signs: the run folder with the SHA-256 of every file
(manifest.json), and `posc verify RUN_DIR` telling whether anything changed since."""

from __future__ import annotations

import json
import subprocess
import sys

import pypdf

from tests.flows.conftest import run_job, write_job

PLAN = "110000000A"
RIVERA = {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"}


def verify(folder):
    return subprocess.run([sys.executable, "-m", "robots", "verify", str(folder)], capture_output=True, text=True,
                          timeout=60)


def test_the_folder_verifies_as_the_run_left_it_and_names_each_change(portal, tmp_path):
    out = tmp_path / "out"
    run_job(write_job(tmp_path, "disenroll_one_care", PLAN, [RIVERA], defaults={"reason": "Member request"}),
            portal.url, out, pdf=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"results.json", "results.csv", "report.html", "report.pdf", "junit.xml", "ledger.sqlite",
            "run.log"} <= set(manifest["files"])
    # The printed report says what the page does: the job, its checksum, the bot, each record
    # with its message and its evidence thumbnail.
    results = json.loads((out / "results.json").read_text())
    pdf = pypdf.PdfReader(out / "report.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert results["job_sha256"] in text and "bot login" in text and "done 1" in text
    assert results["records"][0]["message"] in text
    assert sum(len(page.images) for page in pdf.pages) >= 1
    assert any(name.startswith("screenshots/") for name in manifest["files"])

    intact = verify(out)
    assert intact.returncode == 0 and "intact" in intact.stdout

    [shot] = [name for name in manifest["files"] if name.endswith(".png")]
    (out / shot).write_bytes((out / shot).read_bytes() + b"\0")
    (out / "results.csv").unlink()
    (out / "notes.txt").write_text("added later")
    changed = verify(out)

    assert changed.returncode == 1
    assert f"changed: {shot}" in changed.stdout
    assert "missing: results.csv" in changed.stdout and "added:   notes.txt" in changed.stdout
