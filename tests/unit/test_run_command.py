"""`posc run` refuses before touching anything when it must."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    finished = posc("run", str(EXAMPLE), "--portal", "https://posc.example", "--live", "--out", str(tmp_path / "out"),
                    stdin=subprocess.DEVNULL)

    assert finished.returncode == 2
    assert "5 records" in finished.stderr and "https://posc.example" in finished.stderr
    assert "not confirmed" in finished.stderr
    assert not (tmp_path / "out").exists()


def test_a_portal_without_credentials_is_refused_before_any_browser(tmp_path, monkeypatch):
    monkeypatch.delenv("POSC_USER", raising=False)
    monkeypatch.delenv("POSC_PASSWORD", raising=False)
    finished = posc("run", str(EXAMPLE), "--portal", "http://127.0.0.1:9", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert "POSC_USER and POSC_PASSWORD" in finished.stderr


def test_usage_errors_exit_2():
    assert posc("run").returncode == 2
    assert posc("frobnicate").returncode == 2
    assert posc("run", str(EXAMPLE), "--workers", "0").returncode == 2


def test_a_portal_address_without_a_scheme_is_refused_clearly(tmp_path):
    finished = posc("run", str(EXAMPLE), "--portal", "localhost:8700", "--out", str(tmp_path / "out"))

    assert finished.returncode == 2
    assert "--portal: the portal must be an http(s) address" in finished.stderr
