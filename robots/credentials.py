"""Credentials: the bot's own registered account. `POSC_USER` (the Virtual Gateway login, an
email address; on a portal with a plain User ID panel, the user ID), `POSC_PASSWORD` and
`POSC_TOTP_SECRET` (the authenticator's key: the base32 "account key" MyMassGov shows when
an authenticator app is set up, or the `otpauth://` address of its QR code), each from the
environment or else the OS keyring; for the bundled mock portal, its demo user.

Never from a job file, never printed, never logged: `repr` and `str` show the user only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from robots.errors import ConfigError

KEYRING_SERVICE = "posc-robot"
# The authenticator's key is kept under its own service name, beside the password.
KEYRING_AUTHENTICATOR = "posc-robot-authenticator"
# The demo user of the bundled mock's default fixture (mock_portal/fixtures/default.yaml).
MOCK_DEMO_EMAIL = "posc.demo@example.org"
MOCK_DEMO_USER_ID = "posc.demo"
MOCK_DEMO_PASSWORD = "Demo-Passw0rd!"
MOCK_DEMO_AUTHENTICATOR = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SERVER_HINT = (
    "on a server without a desktop keyring, set POSC_USER, POSC_PASSWORD and POSC_TOTP_SECRET in the "
    "environment of the scheduled job (a file readable by its account only), or install a keyring backend "
    "such as keyrings.alt"
)


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    # The authenticator's key (base32) or its otpauth:// address; None where the portal asks
    # for no verification code.
    authenticator: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"{self.user} (password hidden)"

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never appear in a file, a log or a trace."""
        return tuple(value for value in (self.password, self.authenticator) if value)


def mock_demo() -> Credentials:
    """The bundled mock's demo user, as its Virtual Gateway knows it."""
    return Credentials(MOCK_DEMO_EMAIL, MOCK_DEMO_PASSWORD, MOCK_DEMO_AUTHENTICATOR)


def resolve(*, bundled_mock: bool) -> Credentials:
    user = os.environ.get("POSC_USER")
    if bundled_mock and not user:
        return mock_demo()
    if not user:
        raise ConfigError(
            "no credentials: set POSC_USER (the bot's own Virtual Gateway login), POSC_PASSWORD and "
            f"POSC_TOTP_SECRET, or keep the secrets in the keyring (`keyring set {KEYRING_SERVICE} <user>`, "
            f"`keyring set {KEYRING_AUTHENTICATOR} <user>`) with POSC_USER set; {SERVER_HINT}"
        )
    password = os.environ.get("POSC_PASSWORD") or _from_keyring(KEYRING_SERVICE, user)
    if not password:
        raise ConfigError(
            f"no password for {user}: set POSC_PASSWORD, or store it with `keyring set {KEYRING_SERVICE} {user}`; "
            f"{SERVER_HINT}"
        )
    authenticator = os.environ.get("POSC_TOTP_SECRET") or _from_keyring(KEYRING_AUTHENTICATOR, user)
    return Credentials(user, password, authenticator or None)


def _from_keyring(service: str, user: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(service, user)
    except Exception:  # no keyring backend on a headless server
        return None
