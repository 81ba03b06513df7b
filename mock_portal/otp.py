"""Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits), the codes of the user's
authenticator app, as pure functions of the secret, the code typed and the clock."""

from __future__ import annotations

import hmac

import pyotp

# A code of the step before or after the server's is accepted: the clocks of a phone and a
# server drift, and a code typed in the last second of its step arrives in the next one.
WINDOW = (-1, 0, 1)


class _Totp(pyotp.TOTP):
    # The fixture accepts secrets of 16 base32 characters (80 bits, what many enrolments
    # issue); pyotp 2.10 and later refuse fewer than 112 bits unless told otherwise.
    min_secret_length_bits = 80


def step_at(time_s: float, period_s: int) -> int:
    """The time step (RFC 6238's T) a moment falls in."""
    return int(time_s // period_s)


def code_for(secret: str, step: int, period_s: int) -> str:
    return _Totp(secret, interval=period_s).generate_otp(step)


def matching_steps(secret: str, typed: str, *, time_s: float, period_s: int) -> list[int]:
    """The steps within the window around `time_s` whose code is the one typed (spaces
    ignored, as an app shows "123 456"), earliest first; [] for a wrong code."""
    code = "".join(typed.split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return []
    now = step_at(time_s, period_s)
    return [now + offset for offset in WINDOW
            if hmac.compare_digest(code_for(secret, now + offset, period_s), code)]
