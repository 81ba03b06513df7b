"""Member IDs and names are PHI: the console and logs show them masked.

Records describe themselves without PHI (`Record.describe`); the log filter here is the safety
net for anything else that might carry a member ID (a portal message quoting one, say).
"""

from __future__ import annotations

import logging
import re

_MEMBER_ID_IN_TEXT = re.compile(r"(?<!\d)\d{8}(\d{4})(?!\d)")


def mask_member_id(member_id: str) -> str:
    """`100000000001` → `••••••••0001`: enough for a person to tell records apart."""
    return "•" * (len(member_id) - 4) + member_id[-4:]


def mask_name(name: str) -> str:
    return name[:1] + "•••" if name else ""


def redact(text: str) -> str:
    """Masks every 12-digit run (a member ID) in free text."""
    return _MEMBER_ID_IN_TEXT.sub(lambda m: "•" * 8 + m.group(1), text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def scrub(text: str, names: tuple[str, ...] = ()) -> str:
    """Free text fit for the console: member IDs masked, and every word of the given names
    (so "RIVERA-LOPEZ, ANA" is masked however the portal writes it: "Rivera Lopez", "ANA")."""
    text = redact(text)
    words = {word for name in names for word in re.findall(r"[^\W\d_]+", name) if len(word) > 1}
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(word)}\b", mask_name(word), text, flags=re.IGNORECASE)
    return text
