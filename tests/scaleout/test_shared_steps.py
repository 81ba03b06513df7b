"""Two hosts of one bot never send the gateway the same verification code: the step each login
used is taken in the run's PostgreSQL database, not only in a host's own state file. Each
host here has a state folder and a database connection of its own, as on two machines."""

from __future__ import annotations

import uuid

import psycopg
import pyotp
import pytest

from robots.one_time_codes import OneTimeCodes
from robots.scaleout.store import SharedStore
from tests.servers import postgres_server, postgres_url  # noqa: F401 (fixtures)

KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_000_000.0  # 10 s into a 30-second step


@pytest.fixture
def bot() -> str:
    """A bot account of the test's own: the server's record is shared by every test."""
    return f"bot-{uuid.uuid4().hex[:8]}@example.org"


def host(tmp_path, name: str, url: str | None, user: str) -> OneTimeCodes:
    shared = SharedStore(url, f"job-{uuid.uuid4().hex[:8]}").claim_step if url else None
    return OneTimeCodes(user, KEY, folder=tmp_path / name, clock=lambda: NOW, shared=shared)


def test_without_a_shared_record_two_hosts_would_send_the_same_code(tmp_path, bot):
    # What the database is for: each host's own file knows only its own logins.
    assert host(tmp_path, "a", None, bot).take() == host(tmp_path, "b", None, bot).take()


def test_a_step_one_host_used_makes_the_other_host_wait_for_the_next(tmp_path, postgres_url, bot):  # noqa: F811
    first, second = host(tmp_path, "a", postgres_url, bot), host(tmp_path, "b", postgres_url, bot)

    assert first.take() == pyotp.TOTP(KEY).at(NOW)
    assert second.take() == 20.0  # seconds until the next step begins


def test_the_record_is_per_bot_account_and_holds_no_user_name(tmp_path, postgres_url, bot):  # noqa: F811
    assert isinstance(host(tmp_path, "a", postgres_url, bot).take(), str)
    assert isinstance(host(tmp_path, "b", postgres_url, "another-" + bot).take(), str)  # another bot: no wait

    with psycopg.connect(postgres_url) as db:
        accounts = [row[0] for row in db.execute("SELECT account FROM posc_authenticator_steps")]
    assert accounts and not any("example.org" in account or "bot" in account for account in accounts)


def test_a_step_used_on_this_host_alone_still_counts(tmp_path, postgres_url, bot):  # noqa: F811
    # A run on one machine (no database) used this step: the host's worker waits too.
    assert isinstance(host(tmp_path, "a", None, bot).take(), str)
    assert host(tmp_path, "a", postgres_url, bot).take() == 20.0
