"""A fixture written into the database: the rows each of its entries becomes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3

from mock_portal.fixture import Fixture, Member
from mock_portal.rules import last_day_of_month


def seed(db: sqlite3.Connection, fixture: Fixture) -> None:
    """Inserts the fixture into empty tables (inside the caller's transaction)."""
    db.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("today", fixture.today.isoformat() if fixture.today else ""),
        ("reasons", json.dumps(list(fixture.disenrollment_reasons))),
        ("gateway", json.dumps(dataclasses.asdict(fixture.gateway))),
    ])
    _accounts(db, fixture)
    _providers(db, fixture)
    _members(db, fixture)


def password_hash(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 10_000)


def enrollment_start(member: Member) -> dt.date:
    """The fixture's date, or one derived from the member ID so that it never changes."""
    if member.enrollment_start_date is not None:
        return member.enrollment_start_date
    number = int(member.member_id)
    return dt.date(2016 + number % 8, 1 + number % 12, 1)


def _accounts(db: sqlite3.Connection, fixture: Fixture) -> None:
    for user in fixture.users:
        salt = os.urandom(16)
        db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (user.user_id, salt, password_hash(user.password, salt), user.email,
                    user.email.casefold() if user.email else None, user.totp_secret,
                    int(user.active)))
        db.executemany("INSERT OR IGNORE INTO grants VALUES (?, ?)",
                       [(user.user_id, provider_id) for provider_id in user.providers])


def _providers(db: sqlite3.Connection, fixture: Fixture) -> None:
    for provider in fixture.providers:
        a = provider.address
        db.execute("INSERT INTO providers VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (provider.provider_id, provider.name, provider.type, a.address, a.city,
                    a.state, a.zip))
        for location in provider.locations:
            a = location.address
            cursor = db.execute(
                "INSERT INTO locations (provider_id, dba_name, address, city, state, zip)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (provider.provider_id, location.dba_name, a.address, a.city, a.state, a.zip))
            db.executemany(
                "INSERT INTO servicing (location_id, provider_id, npi, name, provider_type,"
                " address, city, state, zip, effective_date, end_date)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(cursor.lastrowid, s.provider_id, s.npi, s.name, s.provider_type,
                  s.address.address, s.address.city, s.address.state, s.address.zip,
                  s.effective_date.isoformat(), s.end_date.isoformat() if s.end_date else None)
                 for s in location.servicing_providers])


def _members(db: sqlite3.Connection, fixture: Fixture) -> None:
    this_month_end = last_day_of_month(fixture.today or dt.date.today()).isoformat()

    def pending(member: Member) -> str | None:
        if member.pending_disenrollment is True:
            return this_month_end
        return member.pending_disenrollment.isoformat() if member.pending_disenrollment else None

    db.executemany(
        "INSERT INTO members VALUES (?, ?, ?, ?, ?, ?)",
        [(m.member_id, m.last_name, m.first_name, m.one_care_plan,
          enrollment_start(m).isoformat() if m.one_care_plan else None, pending(m))
         for m in fixture.members])
