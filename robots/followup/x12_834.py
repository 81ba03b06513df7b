"""An X12 834 (005010X220A1, Benefit Enrollment and Maintenance) read with pyx12, which knows
the implementation guide: the file is validated first, and only then are its terminations
read (loop 2000 with INS03 024, the member's ID in REF*0F or NM109, the end of eligibility in
DTP*357, the plan in the payer loop 1000B's N104). A malformed or truncated file is an error
naming the file, the line and the segment; nothing is guessed from half a file.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import pyx12.error_handler
import pyx12.errors
import pyx12.params
import pyx12.x12context
import pyx12.x12n_document

from robots.errors import PoscError

TERMINATION = "024"  # INS03: cancellation or termination
ISA_LENGTH = 106  # the ISA segment's fixed length, its terminator included


class X12Error(PoscError):
    """An 834 that cannot be read as the implementation guide says."""


@dataclass(frozen=True)
class Termination:
    member_id: str
    end_date: dt.date | None
    line: int


@dataclass(frozen=True)
class File834:
    path: Path
    plan_id: str | None  # the payer's N104 (1000B)
    created: str | None  # BGN03
    terminations: tuple[Termination, ...]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_834(path: Path) -> File834:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise X12Error(f"{path}: cannot be read ({error.strerror})") from None
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(data[ISA_LENGTH - 1: ISA_LENGTH] or b"~") + 1
        raise X12Error(f"{path}: line {line}: byte 0x{data[error.start]:02x} is not ASCII "
                       "(an 834 holds ASCII characters only)") from None
    _envelope(path, text)
    _validate(path, text)
    reader = pyx12.x12context.X12ContextReader(pyx12.params.params(), pyx12.error_handler.errh_null(),
                                               io.StringIO(text))
    plan = created = None
    terminations = []
    for node in reader.iter_segments("2000"):
        if node.id == "N1" and node.cur_path.endswith("/1000B/N1"):
            plan = node.get_value("N104")
        elif node.id == "BGN":
            created = node.get_value("BGN03")
        elif node.id == "2000" and node.get_value("INS03") == TERMINATION:
            member = node.get_value("REF[0F]02") or node.get_value("2100A/NM109") or ""
            ended = _date(node.get_value("DTP[357]03"))
            terminations.append(Termination(member, ended, node.cur_line_number or 0))
    return File834(path, plan, created, tuple(terminations))


def _envelope(path: Path, text: str) -> None:
    """What pyx12 takes for granted: an interchange (a fixed-length ISA segment first, which
    names the separators) of 834 transaction sets."""
    text = text.lstrip()
    if not text.startswith("ISA"):
        raise X12Error(f"{path}: not an X12 file (an X12 file begins with an ISA segment)")
    if len(text) < ISA_LENGTH:
        raise X12Error(f"{path}: line 1 (ISA segment): cut short")
    element, terminator = text[3], text[ISA_LENGTH - 1]
    for number, segment in enumerate(text.split(terminator), start=1):
        fields = segment.strip().split(element)
        if fields[0] == "ST" and (len(fields) < 2 or fields[1] != "834"):
            kind = fields[1] if len(fields) > 1 else "no"
            raise X12Error(f"{path}: line {number} (ST segment): transaction set {kind}, not 834 "
                           "(Benefit Enrollment and Maintenance)")


def _validate(path: Path, text: str) -> None:
    collect = _Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False  # pyx12's own lines would reach the console
    try:
        ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), io.StringIO(),
                                               io.StringIO(), None, io.StringIO())
    except pyx12.errors.X12Error as error:
        raise X12Error(f"{path}: not an X12 file ({error})") from None
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    if not ok:
        first = collect.messages[0] if collect.messages else "the file does not follow the 834 guide"
        raise X12Error(f"{path}: {_named(first, text)}")


def _named(message: str, text: str) -> str:
    """pyx12 says `Line:11 ELE:1 - ...`: the segment on that line is named too."""
    if message.startswith("Line:"):
        number = message.split()[0].removeprefix("Line:")
        segments = [s.strip() for s in text.split("~")]
        if number.isdigit() and 0 < int(number) <= len(segments):
            segment = segments[int(number) - 1].split("*", 1)[0]
            return f"line {number} ({segment} segment): {message.split(' - ', 1)[-1]}"
    return message


def _date(value: str | None) -> dt.date | None:
    if not value or len(value) != 8 or not value.isdigit():
        return None
    return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
