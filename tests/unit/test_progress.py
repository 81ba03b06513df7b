from __future__ import annotations

import io

from robots.engine.progress import PlainProgress, TerminalProgress, for_stream
from robots.ledger.base import RecordState


def test_plain_progress_prints_a_line_per_record():
    out = io.StringIO()
    progress = PlainProgress(out)
    progress.start("November", total=3, remaining=2)
    progress.settled("member ••••••••0001", RecordState.DONE, "validated")
    progress.settled("member ••••••••0002", RecordState.REJECTED, "not found")

    lines = out.getvalue().splitlines()
    assert lines[0] == "November: 3 records, 2 to work (1 finished before)"
    assert lines[1].startswith("[1/2] done") and lines[2].startswith("[2/2] rejected")


def test_terminal_progress_redraws_a_bar_with_counts_rate_and_eta():
    out = io.StringIO()
    progress = TerminalProgress(out, columns=200)
    progress.start("November", total=4, remaining=4)
    progress.settled("member ••••••••0001", RecordState.DONE, "validated")

    last = out.getvalue().rsplit("\r\033[K", 1)[-1]
    assert "1/4" in last and "done 1" in last and "/min" in last and "ETA" in last


def test_a_stream_that_is_not_a_terminal_gets_plain_lines():
    assert isinstance(for_stream(io.StringIO()), PlainProgress)
