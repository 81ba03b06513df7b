"""What the engine and the flows know of a page beyond what it shows: the HTTP status of the
document it shows (a 500 page, or the browser's own error page for a connection refused, has
no panel and no control to wait for), and the home its login landed on."""

from __future__ import annotations

import asyncio
import weakref

from playwright.async_api import Page, Request, Response

# What a page that never got an answer counts as (connection refused or reset).
NO_ANSWER = 599

_last_status: weakref.WeakKeyDictionary[Page, int] = weakref.WeakKeyDictionary()
_in_place: weakref.WeakKeyDictionary[Page, bool] = weakref.WeakKeyDictionary()
# Waits that end at the page's next failed load (an in-place update that failed leaves the old
# panel showing: nothing on the page changes to wait for).
_failure_waiters: weakref.WeakKeyDictionary[Page, set[asyncio.Future[int]]] = weakref.WeakKeyDictionary()
# The page each session's login landed on: the portal's home. The portal's address itself may
# well show a login to a live session (the Virtual Gateway's start page does).
_home: weakref.WeakKeyDictionary[Page, str] = weakref.WeakKeyDictionary()


# A JSF portal re-renders panels in place: its answers to the page's own requests count as
# loads of what the page shows, as documents do.
IN_PLACE = ("xhr", "fetch")


def _shows(request: Request, page: Page) -> bool:
    """A request whose answer becomes what the page shows: a document of the main frame, or
    an in-place update the main frame asked for."""
    if request.frame != page.main_frame:
        return False
    return request.is_navigation_request() or request.resource_type in IN_PLACE


def track(page: Page) -> None:
    """Remember the status of each document (or in-place update) the page loads from now on."""

    def on_response(response: Response) -> None:
        if _shows(response.request, page):
            _loaded(page, response.status, in_place=response.request.resource_type in IN_PLACE)

    def on_request_failed(request: Request) -> None:
        if _shows(request, page):
            _loaded(page, NO_ANSWER, in_place=request.resource_type in IN_PLACE)

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)


def _loaded(page: Page, status: int, *, in_place: bool) -> None:
    _last_status[page] = status
    _in_place[page] = in_place
    if status >= 500:
        for waiter in _failure_waiters.pop(page, set()):
            if not waiter.done():
                waiter.set_result(status)


def loaded(page: Page, status: int) -> None:
    """A document the page loaded by other means (a reload's answer)."""
    _last_status[page] = status
    _in_place[page] = False


def forget(page: Page) -> None:
    """Before an action whose answer may be an in-place update: the page shows what it showed,
    and the failure of an earlier load must not be taken for this action's (an in-place answer
    comes after the click has returned)."""
    _last_status.pop(page, None)
    _in_place.pop(page, None)


def next_failure(page: Page) -> asyncio.Future[int]:
    """A future that ends with the status of the page's next failed load (5xx, no answer).
    Cancel it when the wait is over."""
    waiter: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    _failure_waiters.setdefault(page, set()).add(waiter)
    waiter.add_done_callback(lambda done: _failure_waiters.get(page, set()).discard(done))
    return waiter


def failed_in_place(page: Page) -> bool:
    """The failure `server_failed` reports was an in-place update's: the page still shows the
    panel it was asked from (a reload would ask for the page, not for the update)."""
    return bool(server_failed(page)) and _in_place.get(page, False)


def server_failed(page: Page) -> int | None:
    """The failed status (5xx, or no answer) of the document shown, else None."""
    status = _last_status.get(page)
    return status if status is not None and status >= 500 else None


def remember_home(page: Page, url: str) -> None:
    _home[page] = url


def home_url(page: Page, default: str) -> str:
    """Where to start over (after a failed page, or to find a session alive): the home the
    login landed on, else `default`."""
    return _home.get(page, default)
