"""`posc validate` and `posc run` on bad job files: the real installed command, as a subprocess.

A bad job exits 2 with every problem on stderr, one a line, and never a traceback; `posc run`
stops there, before any browser or output folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

POSC = shutil.which("posc", path=str(Path(sys.executable).parent)) or shutil.which("posc")

pytestmark = pytest.mark.skipif(POSC is None, reason="the posc console script is not installed")

GOOD_JOB = """\
job: disenroll_one_care
provider_id: "110000000A"
records:
  - {member_id: "100000000001", last_name: RIVERA, first_name: ANA, reason: Member request}
  - {member_id: "100000000002", last_name: O'BRIEN, first_name: SEAN, reason: Other}
"""


def write_job(tmp_path: Path, yaml_text: str | bytes, name: str = "job.yaml") -> Path:
    path = tmp_path / name
    if isinstance(yaml_text, bytes):
        path.write_bytes(yaml_text)
    else:
        path.write_text(yaml_text, encoding="utf-8")
    return path


def posc(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # No credentials and no browser: validation must not need either.
    env = {k: v for k, v in os.environ.items() if k not in ("POSC_USER", "POSC_PASSWORD")}
    env["POSC_CHROMIUM"] = str(cwd / "no-such-browser")
    return subprocess.run(
        [POSC, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def assert_refused(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip(), "the reason belongs on stderr"


def test_validate_accepts_a_good_job(tmp_path):
    result = posc("validate", write_job(tmp_path, GOOD_JOB), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ok, 2 disenroll_one_care records for 110000000A" in result.stdout
    assert result.stderr == ""


def test_validate_of_a_bad_member_id_exits_2_naming_file_line_record_and_field(tmp_path):
    path = write_job(tmp_path, GOOD_JOB.replace('"100000000002"', '"1000000000022"'))
    result = posc("validate", path, cwd=tmp_path)
    assert_refused(result)
    assert f"error: {path}: line 5: record 2: field 'member_id': a member ID is 12 digits" in result.stderr
    assert "1000000000022" not in result.stderr


def test_validate_prints_every_problem_one_a_line(tmp_path):
    path = write_job(tmp_path, GOOD_JOB.replace("RIVERA", "RIVERA9").replace("reason: Other", "colour: red"))
    result = posc("validate", path, cwd=tmp_path)
    assert_refused(result)
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith(f"error: {path}: ") for line in lines)
    assert any("record 1: field 'last_name'" in line for line in lines)
    assert any("record 2: field 'colour'" in line for line in lines)
    assert any("record 2: field 'reason': missing" in line for line in lines)
    assert "RIVERA9" not in result.stderr


def test_validate_of_several_files_reports_each_and_exits_2_if_any_is_bad(tmp_path):
    good = write_job(tmp_path, GOOD_JOB, "good.yaml")
    bad = write_job(tmp_path, GOOD_JOB.replace("disenroll_one_care", "disenroll"), "bad.yaml")
    result = posc("validate", good, bad, cwd=tmp_path)
    assert_refused(result)
    assert f"{good}: ok" in result.stdout
    assert f"{bad}: line 1: field 'job': unknown job kind 'disenroll'" in result.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"job: disenroll_one_care\nname: caf\xe9\n", "line 2: is not UTF-8 text", id="not-utf8"),
        pytest.param(b"", "the job file is empty", id="empty"),
        pytest.param(GOOD_JOB.encode() + b"password: hunter2\n", "credentials never go in a job file",
                     id="password"),
        pytest.param(b"a: &a [x, x]\nb: [*a, *a]\n", "YAML aliases (*name) are not allowed", id="alias"),
        pytest.param(b"records: !!python/object/apply:os.system [echo hacked]\n", "YAML tags", id="python-tag"),
    ],
)
def test_validate_of_a_broken_file_exits_2_without_a_traceback(tmp_path, content, reason):
    result = posc("validate", write_job(tmp_path, content), cwd=tmp_path)
    assert_refused(result)
    assert reason in result.stderr
    assert "hunter2" not in result.stderr
    assert "hacked" not in result.stdout


def test_validate_of_a_missing_file_exits_2(tmp_path):
    result = posc("validate", "nowhere.yaml", cwd=tmp_path)
    assert_refused(result)
    assert "error: nowhere.yaml: no such file" in result.stderr


def test_validate_of_a_job_whose_csv_is_missing_exits_2_naming_the_csv(tmp_path):
    path = write_job(tmp_path, 'job: disenroll_one_care\nprovider_id: "110000000A"\nrecords_file: members.csv\n')
    result = posc("validate", path, cwd=tmp_path)
    assert_refused(result)
    assert f"field 'records_file': '{tmp_path / 'members.csv'}': no such file" in result.stderr


def test_validate_without_a_job_is_a_usage_error(tmp_path):
    result = posc("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_run_of_a_bad_job_exits_2_before_any_browser_or_output(tmp_path):
    path = write_job(tmp_path, GOOD_JOB.replace('"110000000A"', '"110000000"'))
    out = tmp_path / "out"
    result = posc("run", path, "--out", out, cwd=tmp_path)
    assert_refused(result)
    assert f"error: {path}: line 2: field 'provider_id': a provider ID is nine digits" in result.stderr
    assert not out.exists()
    assert not (tmp_path / "posc-runs").exists()


def test_run_of_a_job_holding_a_password_exits_2_without_printing_it(tmp_path):
    path = write_job(tmp_path, GOOD_JOB + "password: Tr0ub4dor&3\n")
    result = posc("run", path, "--out", tmp_path / "out", cwd=tmp_path)
    assert_refused(result)
    assert "credentials never go in a job file" in result.stderr
    assert "Tr0ub4dor" not in result.stderr + result.stdout


def test_validate_refuses_an_end_date_already_past_naming_the_record(tmp_path):
    path = tmp_path / "unlink.yaml"
    path.write_text('job: group_unlink\nprovider_id: "110000001A"\n'
                    "certified_by: {name: Dana Whitfield, title: Practice Manager}\nrecords:\n"
                    '  - {location: MAIN STREET CLINIC, practitioner: "SMITH, JOHN", end_date: 2020-01-31}\n')

    result = subprocess.run([sys.executable, "-m", "robots", "validate", str(path)], capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 2
    assert "line 5: record 1: field 'end_date': the end date 01/31/2020 is before today" in result.stderr
