"""Progress of a run on the console: a live bar on a terminal, plain lines otherwise, nothing
for library callers. The engine calls the same three methods and never asks about `isatty`.
Everything shown here is scrubbed of PHI first."""

from __future__ import annotations

import shutil
import sys
import time
from collections import Counter
from typing import Protocol, TextIO

from robots.ledger.base import RecordState

SHOWN = (
    RecordState.DONE,
    RecordState.ALREADY_DONE,
    RecordState.REJECTED,
    RecordState.FAILED,
    RecordState.DRY_RUN,
)


class Progress(Protocol):
    def start(self, title: str, total: int, remaining: int) -> None: ...
    def settled(self, label: str, state: RecordState, message: str) -> None: ...
    def note(self, text: str) -> None: ...
    def finish(self) -> None: ...


class NullProgress:
    def start(self, title: str, total: int, remaining: int) -> None:
        pass

    def settled(self, label: str, state: RecordState, message: str) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def finish(self) -> None:
        pass


class _Counting:
    def __init__(self) -> None:
        self.counts: Counter[RecordState] = Counter()
        self.total = self.remaining = 0
        self.started = time.monotonic()

    def start(self, title: str, total: int, remaining: int) -> None:
        self.total, self.remaining = total, remaining
        self.started = time.monotonic()

    def _count(self, state: RecordState) -> None:
        self.counts[state] += 1

    @property
    def settled_count(self) -> int:
        return sum(self.counts.values())

    def rate_per_minute(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.settled_count / elapsed * 60 if elapsed > 0 else 0.0

    def eta(self) -> str:
        rate = self.rate_per_minute()
        left = self.remaining - self.settled_count
        if rate <= 0 or left <= 0:
            return "--"
        seconds = int(left / rate * 60)
        return f"{seconds // 60}m{seconds % 60:02d}s"


class PlainProgress(_Counting):
    """One line per record, for logs and CI."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        super().__init__()
        self.stream = stream

    def start(self, title: str, total: int, remaining: int) -> None:
        super().start(title, total, remaining)
        done_before = total - remaining
        before = f" ({done_before} finished before)" if done_before else ""
        self._print(f"{title}: {total} records, {remaining} to work{before}")

    def settled(self, label: str, state: RecordState, message: str) -> None:
        self._count(state)
        width = len(str(self.remaining))
        self._print(f"[{self.settled_count:>{width}}/{self.remaining}] {state.value:<12} {label}: {message}")

    def note(self, text: str) -> None:
        self._print(text)

    def finish(self) -> None:
        self.stream.flush()

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class TerminalProgress(_Counting):
    """A bar redrawn in place: done, already done, rejected, failed, rate and ETA. Rejections
    and failures are printed above it as they happen."""

    def __init__(self, stream: TextIO = sys.stdout, *, columns: int | None = None) -> None:
        super().__init__()
        self.stream = stream
        self.columns = columns

    def start(self, title: str, total: int, remaining: int) -> None:
        super().start(title, total, remaining)
        self._line(f"{title}: {total} records, {remaining} to work")
        self._draw()

    def settled(self, label: str, state: RecordState, message: str) -> None:
        self._count(state)
        if state in (RecordState.REJECTED, RecordState.FAILED):
            self._line(f"{state.value:<9} {label}: {message}")
        self._draw()

    def note(self, text: str) -> None:
        self._line(text)
        self._draw()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write("\r\033[K" + text + "\n")

    def _draw(self) -> None:
        columns = self.columns or shutil.get_terminal_size((100, 20)).columns
        share = self.settled_count / self.remaining if self.remaining else 1.0
        width = 24
        bar = "█" * int(share * width) + "░" * (width - int(share * width))
        counts = " ".join(f"{s.value} {self.counts[s]}" for s in SHOWN if self.counts[s] or s in SUMMARY_ALWAYS)
        pace = f"{self.rate_per_minute():.1f}/min  ETA {self.eta()}"
        text = f"{bar} {self.settled_count}/{self.remaining}  {pace}  {counts}"
        self.stream.write("\r\033[K" + text[: columns - 1])
        self.stream.flush()


SUMMARY_ALWAYS = (RecordState.DONE, RecordState.ALREADY_DONE, RecordState.REJECTED, RecordState.FAILED)


def for_stream(stream: TextIO = sys.stdout) -> Progress:
    return TerminalProgress(stream) if stream.isatty() else PlainProgress(stream)
