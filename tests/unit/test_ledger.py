"""The ledger owns every record's state; each transition is committed before the robot acts."""

from __future__ import annotations

import pytest

from robots.errors import ConfigError
from robots.ledger.base import Outcome, RecordState
from robots.ledger.sqlite import SqliteLedger

JOB = "disenroll_one_care:110000000A"


def fresh(tmp_path, keys=("a", "b", "c")) -> SqliteLedger:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    ledger.sync(JOB, ((key, {"member_id": key}) for key in keys))
    return ledger


def reopen(tmp_path, ledger: SqliteLedger) -> SqliteLedger:
    ledger.close()
    return SqliteLedger(tmp_path / "ledger.sqlite")


def test_new_records_are_workable_in_job_order(tmp_path):
    assert fresh(tmp_path, ("c", "a", "b")).workable() == ["c", "a", "b"]


def test_settled_records_are_never_workable_again(tmp_path):
    ledger = fresh(tmp_path)
    for key, state in (("a", RecordState.DONE), ("b", RecordState.REJECTED), ("c", RecordState.ALREADY_DONE)):
        ledger.claim(key)
        ledger.settle(key, Outcome(state, "x"))

    ledger = reopen(tmp_path, ledger)
    ledger.sync(JOB, ((key, {"member_id": key}) for key in ("a", "b", "c")))

    assert ledger.workable() == []
    assert ledger.claim("a") is None


def test_failed_and_dry_run_records_are_worked_again_by_the_next_run(tmp_path):
    ledger = fresh(tmp_path, ("a", "b"))
    ledger.claim("a")
    ledger.settle("a", Outcome(RecordState.FAILED, "timeout"))
    ledger.claim("b")
    ledger.settle("b", Outcome(RecordState.DRY_RUN, "dry"))

    assert reopen(tmp_path, ledger).workable() == ["a", "b"]


def test_a_crash_mid_record_returns_it_to_the_queue(tmp_path):
    ledger = fresh(tmp_path, ("a",))
    ledger.claim("a")

    ledger = reopen(tmp_path, ledger)

    [entry] = ledger.read()
    assert entry.state is RecordState.PENDING
    assert ledger.claim("a").submit_started is False


def test_a_crash_after_mark_submitting_keeps_the_record_to_be_verified_first(tmp_path):
    ledger = fresh(tmp_path, ("a",))
    ledger.claim("a")
    ledger.mark_submitting("a")

    ledger = reopen(tmp_path, ledger)

    assert ledger.read()[0].state is RecordState.SUBMITTING
    assert ledger.claim("a").submit_started is True


def test_release_after_a_submit_keeps_the_submit_known(tmp_path):
    ledger = fresh(tmp_path, ("a", "b"))
    ledger.claim("a")
    ledger.mark_submitting("a")
    ledger.claim("b")

    ledger.release("a")
    ledger.release("b")

    states = {e.key: e.state for e in ledger.read()}
    assert states == {"a": RecordState.SUBMITTING, "b": RecordState.PENDING}
    assert ledger.submit_started("a") and not ledger.submit_started("b")


def test_attempts_are_counted_per_record(tmp_path):
    ledger = fresh(tmp_path, ("a",))
    ledger.claim("a")
    assert [ledger.start_attempt("a") for _ in range(3)] == [1, 2, 3]
    assert ledger.read()[0].attempts == 3


def test_pending_records_take_the_edited_jobs_fields_but_finished_ones_keep_theirs(tmp_path):
    ledger = fresh(tmp_path, ("a", "b"))
    ledger.claim("a")
    ledger.settle("a", Outcome(RecordState.DONE, "ok"))

    ledger.sync(JOB, [("a", {"reason": "new"}), ("b", {"reason": "new"})])

    fields = {e.key: e.fields for e in ledger.read()}
    assert fields == {"a": {"member_id": "a"}, "b": {"reason": "new"}}


def test_a_folder_holding_another_jobs_ledger_is_refused(tmp_path):
    ledger = fresh(tmp_path)

    with pytest.raises(ConfigError, match="another job"):
        ledger.sync("group_unlink:110000001A", [("x", {})])


def test_settle_keeps_the_outcomes_facts(tmp_path):
    ledger = fresh(tmp_path, ("a",))
    ledger.claim("a")
    ledger.settle("a", Outcome(RecordState.DONE, "validated", {"effective_date": "11/30/2026"}, "screenshots/1.png"))

    [entry] = ledger.read()
    assert (entry.message, entry.confirmation, entry.screenshot) == (
        "validated", {"effective_date": "11/30/2026"}, "screenshots/1.png"
    )
    assert entry.finished_at is not None


def test_finished_records_take_their_new_place_when_the_job_is_reordered(tmp_path):
    ledger = fresh(tmp_path, ("a", "b"))
    ledger.claim("a")
    ledger.settle("a", Outcome(RecordState.DONE, "ok"))

    ledger.sync(JOB, [("b", {}), ("a", {})])

    assert [e.key for e in ledger.read()] == ["b", "a"]


def test_a_record_whose_submit_may_have_landed_keeps_the_fields_it_was_submitted_with(tmp_path):
    ledger = fresh(tmp_path, ("a",))
    ledger.claim("a")
    ledger.mark_submitting("a")
    ledger.release("a")

    ledger.sync(JOB, [("a", {"member_id": "a", "reason": "edited"})])

    assert ledger.read()[0].fields == {"member_id": "a"}


def test_a_damaged_ledger_file_is_a_clear_error(tmp_path):
    (tmp_path / "ledger.sqlite").write_bytes(b"this is not a database" * 100)

    with pytest.raises(ConfigError, match="not a posc ledger or is damaged"):
        SqliteLedger(tmp_path / "ledger.sqlite")


def test_the_evidence_key_is_made_once_per_folder(tmp_path):
    ledger = fresh(tmp_path)
    key = ledger.evidence_key()
    assert len(key) == 16 and reopen(tmp_path, ledger).evidence_key() == key


def test_sync_reports_new_removed_and_corrected_records(tmp_path):
    ledger = fresh(tmp_path, ("a", "b", "c"))
    for key, state in (("a", RecordState.DONE), ("b", RecordState.REJECTED), ("c", RecordState.REJECTED)):
        ledger.claim(key)
        ledger.settle(key, Outcome(state, "x"))

    changes = ledger.sync(JOB, [("b", {"member_id": "b", "first_name": "fixed"}), ("c", {"member_id": "c"}),
                                ("d", {"member_id": "d"})])

    assert (changes.added, changes.removed, changes.corrected) == (1, ("a",), ("b",))
    assert ledger.workable() == ["b", "d"]  # corrected b again; unchanged c stays rejected
    entry = {e.key: e for e in ledger.read()}["b"]
    assert entry.message is None and entry.fields == {"member_id": "b", "first_name": "fixed"}


def test_reopen_never_touches_a_done_record(tmp_path):
    ledger = fresh(tmp_path, ("a", "b"))
    for key, state in (("a", RecordState.DONE), ("b", RecordState.REJECTED)):
        ledger.claim(key)
        ledger.settle(key, Outcome(state, "x"))

    ledger.reopen(["a", "b"])

    assert ledger.workable() == ["b"]


def test_each_run_into_the_folder_is_remembered_and_a_killed_one_shows_unfinished(tmp_path):
    ledger = fresh(tmp_path)
    first = ledger.begin_run("t1", dry_run=True, worked=3)
    ledger.end_run(first, "t2", stopped=None, logins=1)
    ledger.begin_run("t3", dry_run=False, worked=3)  # killed: never ended

    runs = reopen(tmp_path, ledger).runs()

    assert [(r.started, r.finished, r.dry_run, r.logins) for r in runs] == [("t1", "t2", True, 1),
                                                                             ("t3", None, False, 0)]
