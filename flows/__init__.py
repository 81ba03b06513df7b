"""The POSC workflows, one module per job aid, and the login that comes before them.

Each flow performs one record on a logged-in page and returns a `FlowResult`, or raises one
of `robots.errors` (the contract is `robots.engine.flow`). `POSC` is what the composition
root hands the engine: the login flow and a flow per job kind.
"""

from __future__ import annotations

from flows import disenroll_one_care, group_unlink, login
from robots.engine.flow import PortalFlows

POSC = PortalFlows(
    log_in=login.log_in,
    by_kind={
        "disenroll_one_care": disenroll_one_care,  # type: ignore[dict-item]
        "group_unlink": group_unlink,  # type: ignore[dict-item]
    },
    options={"disenroll_one_care": ("reason", disenroll_one_care.offered_reasons)},
)
