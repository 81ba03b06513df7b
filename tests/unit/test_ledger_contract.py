"""What every ledger does, whatever holds it: each test runs against SQLite (a file of the test's
own) and PostgreSQL (a real server for the session, a job of the test's own). Only the
interface the engine uses (`robots.ledger.base.Ledger`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from robots.errors import ConfigError
from robots.ledger.base import Ledger, Outcome, RecordState
from robots.ledger.postgres import PostgresLedger
from robots.ledger.sqlite import SqliteLedger
from tests.servers import postgres_server, postgres_url  # noqa: F401 (fixtures)

JOB = "disenroll_one_care:110000000A"


class Store:
    """Where one test's ledger lives. `open` is another process opening it; `crash` is the
    process working it dying (no release), then the next one opening it."""

    def __init__(self) -> None:
        self.opened: list[Ledger] = []

    def open(self) -> Ledger:
        ledger = self._open()
        self.opened.append(ledger)
        return ledger

    def fresh(self, keys=("a", "b", "c")) -> Ledger:
        ledger = self.open()
        ledger.sync(JOB, ((key, {"member_id": key}) for key in keys))
        return ledger

    def reopen(self, ledger: Ledger) -> Ledger:
        ledger.close()
        return self.open()

    def crash(self, ledger: Ledger) -> Ledger:
        return self.reopen(ledger)

    def _open(self) -> Ledger:
        raise NotImplementedError


class SqliteStore(Store):
    def __init__(self, folder) -> None:
        super().__init__()
        self.path = folder / "ledger.sqlite"

    def _open(self) -> Ledger:
        return SqliteLedger(self.path)


class PostgresStore(Store):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url, self.job_id = url, f"test-{uuid.uuid4().hex[:12]}"

    def _open(self) -> Ledger:  # each opening is another process: another holder
        return PostgresLedger(self.url, self.job_id, holder=f"host-{len(self.opened)}:1")

    def crash(self, ledger: Ledger) -> Ledger:
        ledger.close()
        with psycopg.connect(self.url, autocommit=True) as db:  # time passes: the dead holder's leases run out
            db.execute("UPDATE posc_records SET lease_expires = now() - interval '1 second' "
                       "WHERE job_id = %s AND lease_expires IS NOT NULL", (self.job_id,))
        return self.open()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        made: Store = SqliteStore(tmp_path)
    else:
        made = PostgresStore(request.getfixturevalue("postgres_url"))
    yield made
    for ledger in made.opened:
        ledger.close()


def settled(ledger: Ledger, key: str, state: RecordState, message: str = "x") -> None:
    assert ledger.claim(key) is not None
    ledger.settle(key, Outcome(state, message))


def test_new_records_are_workable_in_job_order(store):
    assert store.fresh(("c", "a", "b")).workable() == ["c", "a", "b"]


def test_settled_records_are_never_workable_again(store):
    ledger = store.fresh()
    for key, state in (("a", RecordState.DONE), ("b", RecordState.REJECTED), ("c", RecordState.ALREADY_DONE)):
        settled(ledger, key, state)

    ledger = store.reopen(ledger)
    ledger.sync(JOB, ((key, {"member_id": key}) for key in ("a", "b", "c")))

    assert ledger.workable() == []
    assert ledger.claim("a") is None


def test_an_unknown_record_cannot_be_claimed(store):
    assert store.fresh(("a",)).claim("zz") is None


def test_failed_and_dry_run_records_are_worked_again_by_the_next_run(store):
    ledger = store.fresh(("a", "b"))
    settled(ledger, "a", RecordState.FAILED, "timeout")
    settled(ledger, "b", RecordState.DRY_RUN, "dry")

    assert store.reopen(ledger).workable() == ["a", "b"]


def test_a_crash_mid_record_returns_it_to_the_queue(store):
    ledger = store.fresh(("a",))
    ledger.claim("a")

    ledger = store.crash(ledger)

    [entry] = ledger.read()
    assert entry.state is RecordState.PENDING
    assert ledger.claim("a").submit_started is False


def test_a_crash_after_mark_submitting_keeps_the_record_to_be_verified_first(store):
    ledger = store.fresh(("a",))
    ledger.claim("a")
    ledger.mark_submitting("a")

    ledger = store.crash(ledger)

    assert ledger.read()[0].state is RecordState.SUBMITTING
    assert ledger.submit_started("a")
    assert ledger.claim("a").submit_started is True


def test_release_after_a_submit_keeps_the_submit_known(store):
    ledger = store.fresh(("a", "b"))
    ledger.claim("a")
    ledger.mark_submitting("a")
    ledger.claim("b")

    ledger.release("a")
    ledger.release("b")

    states = {e.key: e.state for e in ledger.read()}
    assert states == {"a": RecordState.SUBMITTING, "b": RecordState.PENDING}
    assert ledger.submit_started("a") and not ledger.submit_started("b")
    assert ledger.workable() == ["a", "b"]


def test_a_released_record_is_claimed_again_with_what_it_knew(store):
    ledger = store.fresh(("a", "b"))
    ledger.claim("a")
    ledger.mark_submitting("a")
    ledger.release("a")
    ledger.claim("b")
    ledger.release("b")

    other = store.open()
    assert other.claim("a").submit_started is True
    assert other.claim("b").submit_started is False


def test_attempts_are_counted_per_record(store):
    ledger = store.fresh(("a", "b"))
    ledger.claim("a")
    assert [ledger.start_attempt("a") for _ in range(3)] == [1, 2, 3]
    assert {e.key: e.attempts for e in ledger.read()} == {"a": 3, "b": 0}


def test_pending_records_take_the_edited_jobs_fields_but_finished_ones_keep_theirs(store):
    ledger = store.fresh(("a", "b"))
    settled(ledger, "a", RecordState.DONE, "ok")

    ledger.sync(JOB, [("a", {"reason": "new"}), ("b", {"reason": "new"})])

    fields = {e.key: e.fields for e in ledger.read()}
    assert fields == {"a": {"member_id": "a"}, "b": {"reason": "new"}}


def test_a_ledger_holding_another_jobs_run_is_refused(store):
    ledger = store.fresh()

    with pytest.raises(ConfigError, match="another job"):
        ledger.sync("group_unlink:110000001A", [("x", {})])
    assert [e.key for e in ledger.read()] == ["a", "b", "c"]


def test_settle_keeps_the_outcomes_facts(store):
    ledger = store.fresh(("a",))
    ledger.claim("a")
    ledger.settle("a", Outcome(RecordState.DONE, "validated", {"effective_date": "11/30/2026"}, "screenshots/1.png",
                               evidence=("screenshots/0.png", "screenshots/1.png")))

    [entry] = store.reopen(ledger).read()
    assert (entry.message, entry.confirmation, entry.screenshot, entry.trace, entry.evidence) == (
        "validated", {"effective_date": "11/30/2026"}, "screenshots/1.png", None,
        ("screenshots/0.png", "screenshots/1.png"),
    )
    assert entry.state is RecordState.DONE and entry.seq == 1
    assert entry.started_at is not None and entry.finished_at is not None
    assert entry.started_at <= entry.finished_at


def test_a_failed_records_trace_is_kept(store):
    ledger = store.fresh(("a",))
    ledger.claim("a")
    ledger.settle("a", Outcome(RecordState.FAILED, "timeout", trace="traces/1.zip"))

    [entry] = ledger.read()
    assert (entry.state, entry.trace, entry.confirmation, entry.evidence) == (RecordState.FAILED, "traces/1.zip",
                                                                              None, ())


def test_finished_records_take_their_new_place_when_the_job_is_reordered(store):
    ledger = store.fresh(("a", "b"))
    settled(ledger, "a", RecordState.DONE, "ok")

    ledger.sync(JOB, [("b", {}), ("a", {})])

    assert [(e.key, e.seq) for e in ledger.read()] == [("b", 1), ("a", 2)]


def test_a_record_whose_submit_may_have_landed_keeps_the_fields_it_was_submitted_with(store):
    ledger = store.fresh(("a",))
    ledger.claim("a")
    ledger.mark_submitting("a")
    ledger.release("a")

    ledger.sync(JOB, [("a", {"member_id": "a", "reason": "edited"})])

    assert ledger.read()[0].fields == {"member_id": "a"}


def test_the_evidence_key_is_made_once(store):
    ledger = store.fresh()
    key = ledger.evidence_key()
    assert len(key) == 16 and ledger.evidence_key() == key and store.reopen(ledger).evidence_key() == key


def test_sync_reports_new_removed_and_corrected_records(store):
    ledger = store.fresh(("a", "b", "c"))
    for key, state in (("a", RecordState.DONE), ("b", RecordState.REJECTED), ("c", RecordState.REJECTED)):
        settled(ledger, key, state)

    changes = ledger.sync(JOB, [("b", {"member_id": "b", "first_name": "fixed"}), ("c", {"member_id": "c"}),
                                ("d", {"member_id": "d"})])

    assert (changes.added, changes.removed, changes.corrected, changes.existed) == (1, ("a",), ("b",), True)
    assert changes.changed
    assert ledger.workable() == ["b", "d"]  # corrected b again; unchanged c stays rejected
    entry = {e.key: e for e in ledger.read()}["b"]
    assert (entry.state, entry.message, entry.finished_at) == (RecordState.PENDING, None, None)
    assert entry.fields == {"member_id": "b", "first_name": "fixed"}


def test_the_first_sync_reports_a_new_ledger_and_an_unchanged_job_reports_nothing(store):
    ledger = store.open()
    first = ledger.sync(JOB, [("a", {}), ("b", {})])
    again = ledger.sync(JOB, [("a", {}), ("b", {})])

    assert (first.added, first.existed, first.changed) == (2, False, False)
    assert (again.added, again.removed, again.corrected, again.existed, again.changed) == (0, (), (), True, False)


def test_reopen_never_touches_a_done_record(store):
    ledger = store.fresh(("a", "b", "c", "d"))
    for key, state in (("a", RecordState.DONE), ("b", RecordState.REJECTED), ("c", RecordState.FAILED),
                       ("d", RecordState.ALREADY_DONE)):
        settled(ledger, key, state)

    ledger.reopen(["a", "b", "c", "d"])

    assert ledger.workable() == ["b", "c"]
    entries = {e.key: e for e in ledger.read()}
    assert entries["b"].state is RecordState.PENDING and entries["b"].message is None
    assert entries["a"].state is RecordState.DONE and entries["a"].message == "x"


def test_each_run_is_remembered_and_a_killed_one_shows_unfinished(store):
    ledger = store.fresh()
    first = ledger.begin_run("t1", dry_run=True, worked=3)
    ledger.end_run(first, "t2", stopped=None, logins=1)
    second = ledger.begin_run("t3", dry_run=False, worked=3)  # killed: never ended

    runs = store.reopen(ledger).runs()

    assert second != first
    assert [(r.started, r.finished, r.stopped, r.dry_run, r.logins, r.worked) for r in runs] == [
        ("t1", "t2", None, True, 1, 3), ("t3", None, None, False, 0, 3)]


def test_a_stopped_run_says_why(store):
    ledger = store.fresh()
    run = ledger.begin_run("t1", dry_run=False, worked=3)
    ledger.end_run(run, "t2", stopped="the portal is closed for the night", logins=2)

    assert ledger.runs()[0].stopped == "the portal is closed for the night"
