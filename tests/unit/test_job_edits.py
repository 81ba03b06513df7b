"""--retry's words, and what it may reopen."""

from __future__ import annotations

import pytest

from robots.engine.job_edits import check_retry, retry_keys
from robots.errors import ConfigError
from robots.jobfile.job import load_job
from robots.ledger.base import Entry, RecordState


@pytest.fixture
def job(tmp_path):
    path = tmp_path / "job.yaml"
    records = "".join(f'  - {{member_id: "10000000000{n}", last_name: A, first_name: B}}\n' for n in range(1, 5))
    head = 'job: disenroll_one_care\nprovider_id: "110000000A"\ndefaults: {reason: Other}\nrecords:\n'
    path.write_text(head + records)
    return load_job(path)


def entry(key: str, state: RecordState) -> Entry:
    return Entry(key, 1, state, 1, False, None, None, None, None, {}, None, None)


@pytest.mark.parametrize("spec", ["rejected", "FAILED", "3", "1,3-4", " 2 - 3 "])
def test_retry_takes_a_status_or_record_numbers(spec):
    assert check_retry(spec)


@pytest.mark.parametrize("spec", ["done", "all", "3,", "a-b", ""])
def test_retry_refuses_anything_else(spec):
    with pytest.raises(ConfigError, match="--retry"):
        check_retry(spec)


def test_numbers_name_the_jobs_records_and_rejected_names_every_rejected_one(job):
    entries = {"100000000001": entry("100000000001", RecordState.REJECTED),
               "100000000003": entry("100000000003", RecordState.REJECTED)}

    assert retry_keys("rejected", job, entries) == ["100000000001", "100000000003"]
    assert retry_keys("2-3", job, entries) == ["100000000002", "100000000003"]


def test_a_done_record_is_never_reopened(job):
    with pytest.raises(ConfigError, match="never submits a record twice"):
        retry_keys("1", job, {"100000000001": entry("100000000001", RecordState.DONE)})


def test_a_number_outside_the_job_is_refused(job):
    with pytest.raises(ConfigError, match="has no record 9"):
        retry_keys("9", job, {})
