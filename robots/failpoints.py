"""Fail points: named places where the crash tests kill the robot on purpose.

`POSC_FAILPOINTS="after-submit-click@3,during-settle@5"` makes the process SIGKILL itself
the 3rd time it passes `after-submit-click`, and so on. Unset (always, outside the tests), a
fail point costs one dictionary lookup. This is how the exactly-once guarantee is shown at the
exact moments that matter (between a Submit and its confirmation, inside a ledger write),
rather than by hoping a timed kill lands there.
"""

from __future__ import annotations

import os
import signal

_PLAN: dict[str, int] = {}
_PASSED: dict[str, int] = {}


def _load() -> None:
    for item in os.environ.get("POSC_FAILPOINTS", "").split(","):
        name, _, nth = item.strip().partition("@")
        if name:
            _PLAN[name] = int(nth or 1)


_load()


def failpoint(name: str) -> None:
    if name not in _PLAN:
        return
    _PASSED[name] = _PASSED.get(name, 0) + 1
    if _PASSED[name] == _PLAN[name]:
        os.kill(os.getpid(), signal.SIGKILL)
