"""The PostgreSQL ledger across hosts: claims are leases, each record goes to one holder at a
time, and a holder whose lease was taken over writes nothing. Against a real server; each
holder has a connection of its own, as a process on another host would."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest

from robots.errors import ConfigError
from robots.ledger.base import Outcome, RecordState
from robots.ledger.postgres import LeaseLost, PostgresLedger
from tests.servers import free_port, postgres_server, postgres_url  # noqa: F401 (fixtures)

JOB = "disenroll_one_care:110000000A"
SHORT = 0.15  # a lease that runs out during the test
WAIT = 0.3


@pytest.fixture
def job_id() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def open_ledger(postgres_url, job_id) -> Iterator[Callable[..., PostgresLedger]]:  # noqa: F811
    """`open_ledger(holder)`: a process (its own connection) working the test's job."""
    opened: list[PostgresLedger] = []

    def open_(holder: str, *, url: str = postgres_url, job: str = job_id) -> PostgresLedger:
        ledger = PostgresLedger(url, job, holder=holder)
        opened.append(ledger)
        return ledger

    yield open_
    for ledger in opened:
        ledger.close()


def with_records(ledger: PostgresLedger, keys) -> PostgresLedger:
    ledger.sync(JOB, ((key, {"member_id": key}) for key in keys))
    return ledger


def all_at_once(count: int, work: Callable[[int], object]) -> list:
    """`work(i)` in `count` threads released together; their results (an exception re-raised)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as error:  # re-raised below
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def test_two_holders_claiming_the_same_record_at_once_one_wins(open_ledger, postgres_url):  # noqa: F811
    keys = [f"r{i}" for i in range(40)]
    with_records(open_ledger("setup:0"), keys)
    hosts = [open_ledger("host-a:1"), open_ledger("host-b:2")]
    barrier = threading.Barrier(2)

    def claim_each(i: int) -> list[str]:
        won = []
        for key in keys:
            barrier.wait()  # both at the same record at the same moment
            if hosts[i].claim(key, lease_s=30):
                won.append(key)
        return won

    a, b = all_at_once(2, claim_each)

    assert sorted(a + b) == sorted(keys) and not set(a) & set(b)
    with psycopg.connect(postgres_url) as db:
        holders = dict(db.execute("SELECT key, claimed_by FROM posc_records WHERE job_id = %s",
                                  (hosts[0].job_id,)).fetchall())
    assert {key for key, holder in holders.items() if holder == "host-a:1"} == set(a)


def test_a_live_lease_keeps_the_record_from_other_holders_until_it_runs_out(open_ledger):
    a, b = with_records(open_ledger("host-a:1"), ["r"]), open_ledger("host-b:2")
    assert a.claim("r", lease_s=SHORT) is not None
    assert a.claim("r", lease_s=SHORT) is not None  # its own holder may claim it again
    assert b.claim("r") is None and b.next_workable() is None

    time.sleep(WAIT)

    assert b.claim("r") is not None


def test_an_expired_submitting_record_is_taken_over_with_submit_started(open_ledger):
    a, b = with_records(open_ledger("host-a:1"), ["r"]), open_ledger("host-b:2")
    a.claim("r", lease_s=SHORT)
    a.start_attempt("r")
    a.mark_submitting("r")  # ... and the host dies: its Submit may have reached the portal

    time.sleep(WAIT)
    claim = b.claim("r", lease_s=30)

    assert claim is not None and claim.submit_started is True
    [entry] = b.read()
    assert (entry.state, entry.submit_started, entry.attempts) == (RecordState.IN_PROGRESS, True, 1)
    assert b.start_attempt("r") == 2


def test_a_holder_whose_lease_was_taken_over_writes_nothing(open_ledger):
    a, b = with_records(open_ledger("host-a:1"), ["r"]), open_ledger("host-b:2")
    a.claim("r", lease_s=SHORT)
    time.sleep(WAIT)  # host a stalls past its lease
    assert b.claim("r", lease_s=30) is not None

    with pytest.raises(LeaseLost, match="not held by host-a:1"):
        a.mark_submitting("r")  # so host a never clicks Submit
    with pytest.raises(LeaseLost):
        a.start_attempt("r")
    with pytest.raises(LeaseLost):
        a.settle("r", Outcome(RecordState.FAILED, "from the stalled host"))
    assert a.renew("r", lease_s=30) is False
    assert a.release("r") is False

    b.mark_submitting("r")
    b.settle("r", Outcome(RecordState.DONE, "from the new holder"))
    [entry] = a.read()
    assert (entry.state, entry.message, entry.attempts) == (RecordState.DONE, "from the new holder", 0)


def test_a_settled_or_released_record_is_no_longer_the_holders(open_ledger):
    a = with_records(open_ledger("host-a:1"), ["r", "s"])
    a.claim("r")
    a.settle("r", Outcome(RecordState.DONE, "ok"))
    a.claim("s")
    assert a.release("s") is True

    with pytest.raises(LeaseLost):
        a.settle("r", Outcome(RecordState.FAILED, "a duplicate task"))  # the broker delivered it twice
    with pytest.raises(LeaseLost):
        a.mark_submitting("s")
    assert a.release("s") is False and a.renew("s") is False
    assert {e.key: e.state for e in a.read()} == {"r": RecordState.DONE, "s": RecordState.PENDING}


def test_a_holder_past_its_lease_may_still_settle_when_nobody_took_over(open_ledger):
    a = with_records(open_ledger("host-a:1"), ["r"])
    a.claim("r", lease_s=SHORT)
    time.sleep(WAIT)

    assert a.renew("r", lease_s=30) is True
    a.settle("r", Outcome(RecordState.DONE, "ok"))
    assert a.read()[0].state is RecordState.DONE


def test_renewing_keeps_the_record(open_ledger):
    a, b = with_records(open_ledger("host-a:1"), ["r"]), open_ledger("host-b:2")
    a.claim("r", lease_s=SHORT)
    assert a.renew("r", lease_s=30) is True

    time.sleep(WAIT)

    assert b.claim("r") is None and b.next_workable() is None


def test_next_workable_goes_in_job_order_skipping_held_records(open_ledger):
    a, b = with_records(open_ledger("host-a:1"), ["r1", "r2", "r3", "r4"]), open_ledger("host-b:2")
    a.claim("r2", lease_s=30)
    a.claim("r3", lease_s=SHORT)
    a.mark_submitting("r3")
    a.claim("r4")
    a.settle("r4", Outcome(RecordState.REJECTED, "no"))

    assert b.next_workable(lease_s=30).key == "r1"
    assert b.next_workable(lease_s=30) is None  # r2 and r3 held, r4 final
    time.sleep(WAIT)
    taken = b.next_workable(lease_s=30)
    assert (taken.key, taken.submit_started) == ("r3", True)
    assert b.next_workable() is None


def test_next_workable_from_many_holders_hands_out_every_record_exactly_once(open_ledger, postgres_url):  # noqa: F811
    keys = [f"r{i:03}" for i in range(200)]
    with_records(open_ledger("setup:0"), keys)
    hosts = [open_ledger(f"host-{i}:{100 + i}") for i in range(4)]

    def drain(i: int) -> list[str]:
        ledger, taken = hosts[i], []
        while claim := ledger.next_workable(lease_s=30):
            ledger.start_attempt(claim.key)
            ledger.settle(claim.key, Outcome(RecordState.DONE, f"by host {i}"))
            taken.append(claim.key)
        return taken

    taken = all_at_once(4, drain)

    every = [key for got in taken for key in got]
    assert len(every) == len(set(every)) == 200 and set(every) == set(keys)
    entries = hosts[0].read()
    assert all(e.state is RecordState.DONE and e.attempts == 1 for e in entries)
    [status] = [s for s in PostgresLedger.jobs(postgres_url) if s.job_id == hosts[0].job_id]
    assert status.states == {"done": 200}
    assert {host: counts["done"] for host, counts in status.hosts.items()} == {
        f"host-{i}": len(got) for i, got in enumerate(taken) if got}


def test_a_record_failed_in_this_run_is_handed_out_again_only_by_the_next_run(open_ledger):
    a = with_records(open_ledger("host-a:1"), ["r1", "r2"])
    a.begin_run("t1", dry_run=False, worked=2)
    a.settle(a.next_workable().key, Outcome(RecordState.FAILED, "timeout"))
    a.settle(a.next_workable().key, Outcome(RecordState.DONE, "ok"))

    assert a.next_workable() is None
    assert a.workable() == ["r1"]  # the next run's
    a.begin_run("t2", dry_run=False, worked=1)
    assert a.next_workable().key == "r1"


def test_opening_the_ledger_recovers_a_dead_holders_record_but_not_a_live_ones(open_ledger):
    a = with_records(open_ledger("host-a:1"), ["dead", "live", "sent"])
    a.claim("dead", lease_s=SHORT)
    a.claim("sent", lease_s=SHORT)
    a.mark_submitting("sent")
    a.claim("live", lease_s=30)
    time.sleep(WAIT)

    b = open_ledger("host-b:2")

    states = {e.key: e.state for e in b.read()}
    assert states == {"dead": RecordState.PENDING, "live": RecordState.IN_PROGRESS, "sent": RecordState.SUBMITTING}
    assert b.claim("live") is None and b.claim("sent").submit_started is True


def test_a_sync_leaves_the_fields_of_a_record_another_host_is_working(open_ledger):
    a, b = with_records(open_ledger("host-a:1"), ["r", "s"]), open_ledger("host-b:2")
    a.claim("r", lease_s=30)

    b.sync(JOB, [("r", {"member_id": "r", "reason": "edited"}), ("s", {"member_id": "s", "reason": "edited"})])

    assert {e.key: e.fields.get("reason") for e in b.read()} == {"r": None, "s": "edited"}


def test_jobs_in_one_database_are_kept_apart(open_ledger):
    one = with_records(open_ledger("host-a:1", job=f"one-{uuid.uuid4().hex}"), ["r", "s"])
    two = open_ledger("host-a:1", job=f"two-{uuid.uuid4().hex}")
    two.sync("group_unlink:110000001A", [("r", {"npi": "1"})])
    one.claim("r")
    one.settle("r", Outcome(RecordState.DONE, "ok"))
    one.begin_run("t1", dry_run=False, worked=2)

    assert two.workable() == ["r"] and two.claim("r") is not None and two.runs() == []
    assert one.evidence_key() != two.evidence_key()
    assert [e.fields for e in two.read()] == [{"npi": "1"}]


def test_several_hosts_starting_at_once_create_the_schema_and_sync_once(postgres_server, open_ledger):  # noqa: F811
    url = postgres_server.create_database(f"fresh_{uuid.uuid4().hex[:8]}")
    job = "shared"
    ledgers = all_at_once(6, lambda i: PostgresLedger(url, job, holder=f"host-{i}:1"))
    try:
        reports = all_at_once(6, lambda i: ledgers[i].sync(JOB, [(f"r{n}", {}) for n in range(50)]))

        assert sorted(report.added for report in reports) == [0] * 5 + [50]
        assert ledgers[0].workable() == [f"r{n}" for n in range(50)]
        runs = all_at_once(6, lambda i: ledgers[i].begin_run(f"t{i}", dry_run=False, worked=50))
        assert sorted(runs) == [1, 2, 3, 4, 5, 6]
    finally:
        for ledger in ledgers:
            ledger.close()


def test_status_shows_each_job_by_state_host_in_flight_and_stuck(postgres_server, open_ledger):  # noqa: F811
    url = postgres_server.create_database(f"status_{uuid.uuid4().hex[:8]}")
    a = with_records(open_ledger("alpha:11", url=url, job="job-1"), ["r1", "r2", "r3", "r4", "r5"])
    b = open_ledger("beta:22", url=url, job="job-1")
    a.claim("r1")
    a.settle("r1", Outcome(RecordState.DONE, "ok"))
    b.claim("r2")
    b.settle("r2", Outcome(RecordState.REJECTED, "no"))
    a.claim("r3", lease_s=30)
    b.claim("r4", lease_s=SHORT)
    b.mark_submitting("r4")  # then beta dies
    a.begin_run("t1", dry_run=False, worked=5)
    with_records(open_ledger("gamma:33", url=url, job="job-2"), ["x"])
    time.sleep(WAIT)

    one, two = PostgresLedger.jobs(url)

    assert (one.job_id, one.identity, one.total, one.runs) == ("job-1", JOB, 5, 1)
    assert one.states == {"done": 1, "rejected": 1, "in_progress": 1, "submitting": 1, "pending": 1}
    assert one.hosts == {"alpha": {"done": 1, "in_progress": 1}, "beta": {"rejected": 1, "submitting": 1}}
    assert [(h.key, h.state, h.holder) for h in one.in_flight] == [("r3", "in_progress", "alpha:11")]
    assert [(h.key, h.state, h.holder) for h in one.stuck] == [("r4", "submitting", "beta:22")]
    assert one.in_flight[0].since < one.in_flight[0].lease_expires
    assert (two.job_id, two.states, two.hosts, two.in_flight, two.stuck) == ("job-2", {"pending": 1}, {}, (), ())


def test_an_unreachable_database_is_a_clear_error():
    with pytest.raises(ConfigError, match="cannot reach the ledger database"):
        PostgresLedger(f"postgresql://posc@127.0.0.1:{free_port()}/posc", "job")
