"""Pacing (a rate across workers, an off-peak window) and the certification of the unlink's
Agreement by the person the job names."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt

import pytest

from robots.engine import pacing as pacing_module
from robots.engine.certification import Certification
from robots.engine.pacing import Pace, Pacing, Window, parse_pace
from robots.errors import ConfigError, NotCertified
from robots.jobfile.job import Certifier

TODAY = dt.date(2026, 12, 1)


def run(coroutine):
    """`asyncio.run` in a thread of its own: a test process may already run pytest-playwright's
    event loop in its main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(hour, minute))


@pytest.mark.parametrize(("text", "per_minute"), [("30/min", 30), ("600/h", 10), (" 2.5 / minute ", 2.5)])
def test_pace_reads_records_a_minute_or_an_hour(text, per_minute):
    assert parse_pace(text) == pytest.approx(per_minute)


@pytest.mark.parametrize("text", ["fast", "0/min", "30", "-1/min"])
def test_a_bad_pace_is_a_usage_error(text):
    with pytest.raises(ConfigError, match="--pace"):
        parse_pace(text)


@pytest.mark.parametrize("text", ["22:00", "25:00-06:00", "22:00-22:00", "10-12"])
def test_a_bad_window_is_a_usage_error(text):
    with pytest.raises(ConfigError, match="--window"):
        Window.parse(text)


def test_an_overnight_window_is_open_late_and_early_and_closed_by_day():
    window = Window.parse("22:00-06:00")

    assert window.is_open(at(23)) and window.is_open(at(2)) and not window.is_open(at(6))
    assert not window.is_open(at(12))
    assert window.opens_in(at(21, 30)) == 30 * 60
    assert window.opens_in(at(23)) == 0


def test_a_day_window_opens_tomorrow_once_it_has_closed_today():
    window = Window.parse("09:00-17:00")

    assert window.opens_in(at(18)) == 15 * 3600


def test_a_closed_window_stops_new_records_and_says_how_to_resume():
    pacing = Pacing(window=Window.parse("22:00-06:00"), now=lambda: at(6, 1))

    assert "22:00-06:00 has closed" in pacing.closed() and "run the same command again" in pacing.closed()


def test_the_run_waits_for_its_window_and_says_so(monkeypatch):
    slept, notes = [], []

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(pacing_module.asyncio, "sleep", sleep)
    pacing = Pacing(window=Window.parse("22:00-06:00"), now=lambda: at(21))

    run(pacing.wait_for_window(notes.append))

    assert slept == [3600]
    assert "opens in 1 h 0 min" in notes[0]


def test_pace_spaces_record_starts_across_workers(monkeypatch):
    now = [0.0]
    slept = []

    async def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(pacing_module.asyncio, "sleep", sleep)
    pace = Pace(30, clock=lambda: now[0])

    async def three_workers_four_records() -> None:
        await asyncio.gather(*(pace.take() for _ in range(4)))

    run(three_workers_four_records())

    assert slept == [pytest.approx(2)] * 3  # 30/min: one record every 2 s, the first at once


CERTIFIER = Certifier("Dana Whitfield", "Practice Manager")
TEXT = "I certify under the pains and penalties of perjury that this information is true."


def test_certify_ahead_of_time_records_the_text_the_panel_showed():
    certification = Certification(CERTIFIER, certify="dana  whitfield", ask=None)

    run(certification.certify(TEXT))
    run(certification.certify(TEXT))

    [record] = [c.as_dict() for c in certification.records]
    assert record["name"] == "Dana Whitfield" and record["how"] == "--certify" and record["text"] == TEXT


def test_at_a_terminal_the_person_is_asked_once_with_the_text():
    asked = []
    certification = Certification(CERTIFIER, certify=None, ask=lambda q: asked.append(q) or True)

    run(certification.certify(TEXT))
    run(certification.certify(TEXT))

    assert len(asked) == 1 and TEXT in asked[0] and "Dana Whitfield (Practice Manager)" in asked[0]
    assert certification.records[0].how == "at the terminal"


def test_no_yes_submits_nothing():
    certification = Certification(CERTIFIER, certify=None, ask=lambda q: False)

    with pytest.raises(NotCertified, match="Dana Whitfield did not certify"):
        run(certification.certify(TEXT))


def test_a_changed_agreement_text_is_not_covered_by_a_certification_given_ahead_of_time():
    certification = Certification(CERTIFIER, certify="Dana Whitfield", ask=None)
    run(certification.certify(TEXT))

    with pytest.raises(NotCertified, match="changed"):
        run(certification.certify(TEXT + " Also this."))


def test_only_the_person_the_job_names_may_certify():
    with pytest.raises(ConfigError, match="only the person the job names"):
        Certification(CERTIFIER, certify="Someone Else", ask=None)


def test_an_unwatched_unlink_run_without_certify_is_refused_before_it_starts():
    with pytest.raises(ConfigError, match="--certify 'Dana Whitfield'"):
        Certification(CERTIFIER, certify=None, ask=None)
