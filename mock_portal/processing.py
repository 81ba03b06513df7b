"""How MassHealth works through a profile update request, by the portal's clock: "All provider
file update requests will be processed within 10 business days" (the Processing panel).

A request's status is a pure function of its Request ID, the day it was filed and today, so
moving the clock (`/_mock/advance`) moves every request at once, and a reset moves them back.
Business days are Monday to Friday; the mock keeps no holiday calendar.
"""

from __future__ import annotations

import datetime as dt

SUBMITTED = "Submitted"
IN_PROCESS = "In Process"
PROCESSED = "Processed"
RETURNED = "Returned"
STATUSES = (SUBMITTED, IN_PROCESS, PROCESSED, RETURNED)

# The job aid's promise: processed by the 10th business day after submission.
BUSINESS_DAYS_TO_PROCESS = 10
# Requests whose ID ends in this digit come back Returned instead of Processed: a fixed rule,
# so that a test (or the robot's follow-up) can count on meeting one.
RETURNED_LAST_DIGIT = "7"


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5


def business_day_after(day: dt.date, count: int) -> dt.date:
    """The `count`th business day after `day` (`day` itself never counts)."""
    found = 0
    while found < count:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            found += 1
    return day


def status(request_id: int | str, submitted_on: dt.date, today: dt.date) -> str:
    """Submitted on the day it was filed (and until the next business day), In Process from
    the next business day, then Processed (or Returned) from the 10th business day after."""
    if today >= business_day_after(submitted_on, BUSINESS_DAYS_TO_PROCESS):
        return RETURNED if str(request_id).endswith(RETURNED_LAST_DIGIT) else PROCESSED
    if today >= business_day_after(submitted_on, 1):
        return IN_PROCESS
    return SUBMITTED
