"""The login budget: verification codes from steps no login used, logins one at a time and
spaced, a refusal never tried again. Time is a fake clock: waits are recorded, not slept."""

from __future__ import annotations

import asyncio
import concurrent.futures

import pyotp
import pytest

from robots.engine import login_budget as budget_module
from robots.engine.login_budget import LoginBudget
from robots.errors import ConfigError, LoginRefused
from robots.one_time_codes import OneTimeCodes, authenticator

KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def run(coroutine):
    """`asyncio.run` in a thread of its own: a test process may already run pytest-playwright's
    event loop in its main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(1_000_000.0)
    monkeypatch.setattr("robots.one_time_codes.asyncio.sleep", clock.sleep)
    monkeypatch.setattr(budget_module.asyncio, "sleep", clock.sleep)
    return clock


def codes(tmp_path, clock, user="bot@example.org") -> OneTimeCodes:
    return OneTimeCodes(user, KEY, folder=tmp_path, clock=clock)


def test_a_code_is_the_authenticators_code_of_the_current_step(tmp_path, clock):
    code = run(codes(tmp_path, clock).next())

    assert code == pyotp.TOTP(KEY).at(clock.now)
    assert clock.slept == []


def test_a_second_login_within_one_step_waits_for_the_next_step(tmp_path, clock):
    source = codes(tmp_path, clock)
    clock.now = 30 * 40_000 + 10  # 10 s into a step

    first, second = run(_twice(source))

    assert first != second
    assert clock.slept == [pytest.approx(20)]
    assert second == pyotp.TOTP(KEY).at(clock.now)


async def _twice(source: OneTimeCodes) -> tuple[str, str]:
    return await source.next(), await source.next()


def test_a_later_run_on_this_machine_never_reuses_the_step_an_earlier_run_used(tmp_path, clock):
    clock.now = 30 * 40_000 + 5
    run(codes(tmp_path, clock).next())

    run(codes(tmp_path, clock).next())  # another run: a new object, the same folder

    assert clock.slept == [pytest.approx(25)]


def test_the_remembered_step_is_no_secret(tmp_path, clock):
    run(codes(tmp_path, clock).next())

    for file in tmp_path.iterdir():
        assert KEY not in file.read_text() and "bot@example.org" not in file.name
        assert file.stat().st_mode & 0o077 == 0


def test_an_otpauth_address_gives_its_own_step(tmp_path, clock):
    totp = authenticator(f"otpauth://totp/MyMassGov:bot?secret={KEY}&period=2")

    assert totp.interval == 2


@pytest.mark.parametrize("key", ["not base32!", "otpauth://hotp/x?secret=JBSWY3DP&counter=1", ""])
def test_a_malformed_key_is_refused_without_quoting_it(key):
    with pytest.raises(ConfigError) as raised:
        authenticator(key)
    assert "POSC_TOTP_SECRET" in str(raised.value)
    assert not key or key not in str(raised.value)


def test_logins_are_spaced_by_the_gap_and_counted(clock):
    budget = LoginBudget("https://posc.example", gap_s=10, codes=None, clock=clock)

    async def two_logins() -> None:
        for _ in range(2):
            async with budget.turn():
                budget.logged_in()

    run(two_logins())

    assert budget.logins == 2
    assert clock.slept == [pytest.approx(10)]


def test_a_refused_login_is_never_tried_again(clock):
    budget = LoginBudget("https://posc.example", gap_s=0, codes=None, clock=clock)
    tries = []

    async def log_in() -> None:
        async with budget.turn():
            tries.append(1)
            raise LoginRefused("https://posc.example", "The email or password is incorrect.")

    with pytest.raises(LoginRefused):
        run(log_in())
    with pytest.raises(LoginRefused, match="The email or password is incorrect"):
        run(log_in())

    assert tries == [1]


def test_a_portal_asking_for_a_code_without_an_authenticator_key_stops_the_login(clock):
    budget = LoginBudget("https://posc.example", gap_s=0, codes=None, clock=clock)

    with pytest.raises(LoginRefused, match="POSC_TOTP_SECRET"):
        run(budget.code())


def test_a_sixteen_character_key_is_an_authenticators_key_too():
    assert authenticator("JBSWY3DPEHPK3PXP").now().isdigit()
