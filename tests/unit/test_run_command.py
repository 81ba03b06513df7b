"""`posc run` refuses before touching anything when it must."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import free_port

EXAMPLE = Path(__file__).resolve().parents[2] / "jobs" / "disenroll-one-care.yaml"


def posc(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "robots", *args], capture_output=True, text=True, timeout=60,
                          **options)


def test_a_portal_off_loopback_is_refused_without_live_and_nothing_is_created(tmp_path):
    finished = posc("run", str(EXAMPLE), "--portal", "http://10.1.2.3:8700", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert "--live" in finished.stderr and "All Provider Bulletin 345" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_live_mode_without_a_terminal_to_confirm_at_runs_nothing(tmp_path):
    finished = posc("run", str(EXAMPLE), "--portal", "https://posc.example", "--live", "--rpa-registration", "RPA-7",
                    "--out", str(tmp_path / "out"), stdin=subprocess.DEVNULL)

    assert finished.returncode == 2
    assert "5 records" in finished.stderr and "https://posc.example" in finished.stderr
    assert "not confirmed" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_a_portal_without_credentials_is_refused_before_any_browser(tmp_path, monkeypatch):
    monkeypatch.delenv("POSC_USER", raising=False)
    monkeypatch.delenv("POSC_PASSWORD", raising=False)
    finished = posc("run", str(EXAMPLE), "--portal", "http://127.0.0.1:9", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert all(name in finished.stderr for name in ("POSC_USER", "POSC_PASSWORD", "POSC_TOTP_SECRET"))
    assert "on a server without a desktop keyring" in finished.stderr  # what works where `keyring set` cannot
    assert not (tmp_path / "out").exists()


def test_a_live_run_without_the_bots_registration_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("POSC_RPA_REGISTRATION", raising=False)
    finished = posc("run", str(EXAMPLE), "--portal", "https://posc.example", "--live", "--out", str(tmp_path / "out"),
                    stdin=subprocess.DEVNULL)

    assert finished.returncode == 2
    assert "RPA registration" in finished.stderr and "--rpa-registration" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_an_unlink_job_run_nobody_watches_needs_its_certifier_named(tmp_path):
    unlink = EXAMPLE.with_name("group-unlink.yaml")
    finished = posc("run", str(unlink), "--out", str(tmp_path / "out"), stdin=subprocess.DEVNULL)

    assert finished.returncode == 2
    assert "Dana Whitfield" in finished.stderr and "--certify" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_certify_must_name_the_person_the_job_names(tmp_path):
    unlink = EXAMPLE.with_name("group-unlink.yaml")
    finished = posc("run", str(unlink), "--certify", "Someone Else", "--out", str(tmp_path / "out"),
                    stdin=subprocess.DEVNULL)

    assert finished.returncode == 2
    assert "only the person the job names may certify" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_a_malformed_authenticator_key_is_a_usage_error_that_never_shows_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("POSC_USER", "bot@example.org")
    monkeypatch.setenv("POSC_PASSWORD", "pw-not-shown")
    monkeypatch.setenv("POSC_TOTP_SECRET", "not!base32?secret")
    finished = posc("run", str(EXAMPLE), "--portal", "http://127.0.0.1:9", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert "POSC_TOTP_SECRET is neither a base32 account key" in finished.stderr
    assert "not!base32?secret" not in finished.stderr + finished.stdout
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--pace", "fast"], ["--window", "25:00-06:00"], ["--window", "22:00"]])
def test_bad_pacing_is_a_usage_error(tmp_path, option):
    finished = posc("run", str(EXAMPLE), *option, "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert option[0] in finished.stderr


def test_usage_errors_exit_2():
    assert posc("run").returncode == 2
    assert posc("frobnicate").returncode == 2
    assert posc("run", str(EXAMPLE), "--workers", "0").returncode == 2


def test_a_portal_address_without_a_scheme_is_refused_clearly(tmp_path):
    finished = posc("run", str(EXAMPLE), "--portal", "localhost:8700", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert "--portal: the portal must be an http(s) address" in finished.stderr


def test_a_count_that_is_not_a_number_says_so():
    finished = posc("run", str(EXAMPLE), "--workers", "abc")

    assert finished.returncode == 2
    assert "--workers: 'abc' is not a whole number" in finished.stderr


def test_help_lists_the_exit_codes_and_every_credential():
    shown = posc("--help").stdout

    assert "exit codes:" in shown and "2  usage or validation error" in shown
    assert all(name in shown for name in ("POSC_USER", "POSC_PASSWORD", "POSC_TOTP_SECRET"))


def test_the_mock_portals_errors_name_the_command_typed(tmp_path):
    finished = posc("portal", "--fixture", str(tmp_path / "missing.yaml"))

    assert finished.returncode == 2
    assert finished.stderr.startswith("posc portal: ")


def test_the_package_metadata_builds_without_deprecated_tables():
    import tomllib

    project = tomllib.loads((EXAMPLE.parents[1] / "pyproject.toml").read_text())["project"]

    assert isinstance(project["license"], str)  # a table is deprecated and warns on every install


def test_headed_without_a_display_is_a_usage_error_at_once(tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    finished = posc("run", str(EXAMPLE), "--headed", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert "--headed needs a display" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_the_mock_portals_help_describes_each_option_and_its_default():
    shown = posc("portal", "--help").stdout

    assert "(default 8700)" in shown and "(default 127.0.0.1)" in shown
    assert "gateway: the Virtual Gateway chain (default)" in " ".join(shown.split())


def test_a_worker_whose_ledger_cannot_be_reached_says_so_at_once():
    nobody = free_port()
    finished = posc("worker", "--ledger", f"postgresql://posc:secret@127.0.0.1:{nobody}/posc",
                    "--queue", f"redis://127.0.0.1:{nobody}/0")

    assert finished.returncode == 2
    assert finished.stderr.startswith("posc: cannot reach the ledger database")
    assert "secret" not in finished.stderr + finished.stdout


def test_follow_up_of_a_disenrollment_run_is_refused_before_asking_for_credentials(tmp_path, monkeypatch):
    monkeypatch.delenv("POSC_USER", raising=False)
    (tmp_path / "results.json").write_text('{"kind": "disenroll_one_care", "portal": "http://127.0.0.1:9"}')

    finished = posc("follow-up", str(tmp_path))

    assert finished.returncode == 2
    assert "is a disenroll_one_care run: follow-up reads unlink requests" in finished.stderr
