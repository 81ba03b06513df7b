"""The login budget on the mock's Virtual Gateway: as few logins as a careful person makes, a
refusal never tried again, and no secret in anything the run leaves. Every count is the
portal's own (`/_mock/logins`)."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from collections import Counter

from robots.engine.config import Retry
from tests.conftest import DEFAULT_VARIANT
from tests.flows.conftest import FAST_TIMEOUTS, run_job, write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import assert_exactly_once, results, run_robot


def completed_logins(portal) -> int:
    return sum(1 for attempt in portal.logins() if attempt["outcome"] == "ok")


def test_four_workers_log_in_four_times_for_a_hundred_records(portal_factory, bot_credentials, tmp_path):
    portal = portal_factory(members=100)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(100),
                    defaults={"reason": "Member request"})

    finished = run_robot(job, portal.url, tmp_path / "out", "--workers", "4", timeout=900)

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert completed_logins(portal) == 4
    assert json.loads((tmp_path / "out" / "results.json").read_text())["logins"] == 4
    assert "logins: 4" in finished.stdout
    assert_exactly_once(results(tmp_path / "out"), portal.transactions())


def test_short_sessions_cost_one_login_for_each_session_that_ended(portal_factory, bot_credentials, tmp_path):
    # Sessions a few records long: a record takes about a second on the mock, three where its
    # panels are re-rendered in place (the `ajax` variant).
    ttl = 12 if DEFAULT_VARIANT[0] == "ajax" else 6
    portal = portal_factory(members=24, faults=f"session_ttl_s={ttl}")
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(24),
                    defaults={"reason": "Member request"})

    finished = run_robot(job, portal.url, tmp_path / "out", "--workers", "2", timeout=900)

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    logins = completed_logins(portal)
    assert report["logins"] == logins
    # A worker logs in again only after its session ended (or would end within its next
    # record), never more often.
    started, finished_at = (_seconds(report[key]) for key in ("started", "finished"))
    sessions_that_could_end = 2 * int((finished_at - started) / ttl + 1)
    assert 2 < logins <= 2 + sessions_that_could_end
    assert_exactly_once(results(tmp_path / "out"), portal.transactions())


def _seconds(stamp: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(stamp).timestamp()


def test_a_wrong_password_stops_the_run_after_one_refused_login(portal_factory, bot_credentials, tmp_path):
    portal = portal_factory(members=10)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(10),
                    defaults={"reason": "Member request"})

    finished = run_robot(job, portal.url, tmp_path / "out", "--workers", "4", env={"POSC_PASSWORD": "wrong-Passw0rd"})

    assert finished.returncode == 1
    assert "The email or password is incorrect" in finished.stdout
    assert [attempt["outcome"] for attempt in portal.logins()] == ["wrong_password"]
    assert Counter(row["status"] for row in results(tmp_path / "out")) == Counter({"pending": 10})
    assert portal.transactions() == []


def test_a_wrong_authenticator_key_stops_the_run_after_one_refused_code(portal_factory, bot_credentials, tmp_path):
    portal = portal_factory(members=10)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(10),
                    defaults={"reason": "Member request"})
    other_key = fb.credentials().authenticator.replace(fb.AUTHENTICATOR, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    finished = run_robot(job, portal.url, tmp_path / "out", "--workers", "4", env={"POSC_TOTP_SECRET": other_key})

    assert finished.returncode == 1
    assert "verification code is incorrect" in finished.stdout
    assert [attempt["outcome"] for attempt in portal.logins()] == ["password_ok", "wrong_code"]
    assert Counter(row["status"] for row in results(tmp_path / "out")) == Counter({"pending": 10})


def test_no_secret_in_any_file_of_the_run_folder_traces_included(portal_factory, tmp_path):
    # Controls given no time to show fail every attempt, and sessions of 2 s end between the
    # two attempts: the second logs in again, and the record fails keeping its trace.
    portal = portal_factory(members=1, faults="session_ttl_s=2")
    credentials = fb.credentials()
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(1),
                    defaults={"reason": "Member request"})

    summary = run_job(job, portal.url, tmp_path / "out", credentials=credentials,
                      timeouts=dataclasses.replace(FAST_TIMEOUTS, element_ms=1),
                      retry=Retry(attempts=2, initial_s=2.5, max_s=2.5, jitter_s=0))

    [row] = results(tmp_path / "out")
    assert row["status"] == "failed" and row["trace"], row
    assert summary.logins >= 2
    secrets = [credentials.password, fb.AUTHENTICATOR, credentials.authenticator]
    for path in (tmp_path / "out").rglob("*"):
        if not path.is_file():
            continue
        for name, content in _contents(path):
            assert not any(secret.encode() in content for secret in secrets), f"a secret in {path} ({name})"


def _contents(path):
    """A file's bytes, and each member's of a zip (a Playwright trace is a zip)."""
    yield path.name, path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield member, archive.read(member)


def test_a_recycled_browser_context_resumes_its_session_without_logging_in_again(portal_factory, tmp_path):
    portal = portal_factory(members=6)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(6),
                    defaults={"reason": "Member request"})

    summary = run_job(job, portal.url, tmp_path / "out", credentials=fb.credentials(), workers=1, recycle_every=2)

    assert summary.totals == {"done": 6}
    assert completed_logins(portal) == summary.logins == 1
