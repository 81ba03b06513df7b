"""What the engine and the flows know of a page beyond what it shows: the HTTP status of the
document it shows (a 500 page, or the browser's own error page for a connection refused, has
no panel and no control to wait for), and the home its login landed on."""

from __future__ import annotations

import weakref

from playwright.async_api import Page, Request, Response

# What a page that never got an answer counts as (connection refused or reset).
NO_ANSWER = 599

_last_status: weakref.WeakKeyDictionary[Page, int] = weakref.WeakKeyDictionary()
# The page each session's login landed on: the portal's home. The portal's address itself may
# well show a login to a live session (the Virtual Gateway's start page does).
_home: weakref.WeakKeyDictionary[Page, str] = weakref.WeakKeyDictionary()


def track(page: Page) -> None:
    """Remember the status of each document the page loads from now on."""

    def on_response(response: Response) -> None:
        request = response.request
        if request.is_navigation_request() and response.frame == page.main_frame:
            _last_status[page] = response.status

    def on_request_failed(request: Request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            _last_status[page] = NO_ANSWER

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)


def loaded(page: Page, status: int) -> None:
    """A document the page loaded by other means (a reload's answer)."""
    _last_status[page] = status


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
