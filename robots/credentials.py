"""Credentials: from `POSC_USER` and `POSC_PASSWORD`, else the OS keyring; for the bundled
mock portal, its demo user. Never from a job file, never printed, never logged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from robots.errors import ConfigError

KEYRING_SERVICE = "posc-robot"
# The demo user of the bundled mock's default fixture (mock_portal/fixtures/default.yaml).
MOCK_DEMO_USER = "posc.demo"
MOCK_DEMO_PASSWORD = "Demo-Passw0rd!"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return f"{self.user} (password hidden)"


def resolve(*, bundled_mock: bool) -> Credentials:
    user = os.environ.get("POSC_USER")
    password = os.environ.get("POSC_PASSWORD")
    if user and password:
        return Credentials(user, password)
    if user:
        stored = _from_keyring(user)
        if stored:
            return Credentials(user, stored)
    if bundled_mock and not user:
        return Credentials(MOCK_DEMO_USER, MOCK_DEMO_PASSWORD)
    raise ConfigError(
        "no credentials: set POSC_USER and POSC_PASSWORD, or store the password with "
        f"`keyring set {KEYRING_SERVICE} <user>` and set POSC_USER"
    )


def _from_keyring(user: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # no keyring backend on a headless server
        return None
