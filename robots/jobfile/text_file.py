"""A job's text files (the YAML job, its CSV records) read whole, or refused with a reason that
follows the file's name: missing, a directory, a device, too large, not UTF-8."""

from __future__ import annotations

import codecs
import stat
from pathlib import Path


class Unreadable(Exception):
    """The file cannot be had at all (missing, a directory, a device, too large)."""


class NotText(Unreadable):
    """The file was read but is not UTF-8 text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def read_text(path: Path, limit: int) -> str:
    """The file's text, or Unreadable saying why not (a message that follows the file's name)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except ValueError:  # a NUL in the path: Python refuses it before asking the system
        raise Unreadable("is not a usable file name (it contains a NUL character)") from None
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Checked before opening: reading a FIFO or a terminal would wait forever.
        raise Unreadable("is not a regular file")
    if info.st_size > limit:
        raise Unreadable(f"is larger than {limit // (1024 * 1024)} MB")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from None
    # Spreadsheet exports often start with a byte-order mark. It is taken off before decoding,
    # so that a bad byte's position (and its line) is counted in the file as it is.
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = body.count(b"\n", 0, error.start) + 1
        raise NotText(
            f"is not UTF-8 text (byte 0x{body[error.start]:02x} on this line); save it as UTF-8", bad_line
        ) from None
