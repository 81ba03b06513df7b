"""A small HTTP client for the mock portal's server-level tests: the standard library (cookies
kept, redirects followed) and pyotp, a reader of what a page shows (its headings, alerts,
notices, labels and values, buttons, links and tables), a login the way the portal asks
for it (the Virtual Gateway's chain, or the POSC's own panel), and the ajax release's
in-place requests, read as static/partial.js reads their JSF partial responses."""

from __future__ import annotations

import functools
import html
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pyotp

from mock_portal import fixture

TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')
REGION = re.compile(r'<main\b[^>]*\bid="([^"]+)"[^>]*\bdata-faces-region|'
                    r'<main\b[^>]*\bdata-faces-region[^>]*\bid="([^"]+)"')
MAIN = re.compile(r"<main\b.*</main>", re.DOTALL)
# The ajax release's in-place requests (mock_portal/partial.py)
FACES_REQUEST = {"Faces-Request": "partial/ajax"}
RENDER_HEADER = "Faces-Partial-Render"
VOID = {"input", "img", "br", "meta", "link", "hr"}
FROZEN = Path(__file__).parent.parent / "fixtures" / "frozen.yaml"

POSC_LOGIN = "/EHSProviderPortal/login.jsf"
VG_LOGIN = "/vg/login"
VG_VERIFY = "/vg/verify"
POSC_APPLICATION = "Provider Online Service Center (POSC)"
# A person who finds a code already used waits for the next one; past the window of steps the
# gateway accepts (one before and one after its own), so does the client. Never more codes
# than keep it clear of a lockout (5 failures by default).
MAX_CODES = 4


class Totp(pyotp.TOTP):
    """An authenticator app. The fixture accepts 16-character secrets (80 bits); pyotp 2.10
    and later refuse fewer than 112 bits unless told otherwise."""

    min_secret_length_bits = 80


@functools.cache
def known_users() -> dict[str, fixture.User]:
    """The users of the bundled default fixture and tests/fixtures/frozen.yaml, by user ID
    and by email (case-folded): what the gateway asks for instead of a user ID."""
    users = {}
    for path in (None, FROZEN):
        for user in fixture.load(path).users:
            users[user.user_id] = user
            if user.email:
                users[user.email.casefold()] = user
    return users


class _Reader(HTMLParser):
    """Collects the texts of the elements a person (or a screen reader) would name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict, list[str]]] = []
        self.found: dict[str, list] = {key: [] for key in (
            "h1", "h2", "alert", "status", "label", "button", "link", "th", "option", "td")}
        self.inputs: dict[str, dict] = {}
        self.ids: list[str] = []
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag in ("input", "select", "textarea"):
            self.inputs[attributes.get("id", f"#{len(self.inputs)}")] = {"tag": tag, **attributes}
        if tag == "form":
            self.forms.append(attributes)
        if tag not in VOID:
            self.stack.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, attributes, parts = self.stack.pop()
            text = " ".join(" ".join(parts).split())
            if self.stack:
                self.stack[-1][2].append(text)
            self._keep(open_tag, attributes, text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)

    def _keep(self, tag: str, attributes: dict, text: str) -> None:
        role = attributes.get("role")
        if role in ("alert", "status"):
            self.found[role].append(text)
        if tag in ("h1", "h2", "label", "button", "th", "option", "td"):
            self.found[tag].append((text, attributes))
        if tag == "a":
            self.found["link"].append((attributes.get("aria-label") or text, attributes))


@dataclass
class Page:
    status: int
    url: str
    html: str
    reader: _Reader = field(repr=False)

    @classmethod
    def parse(cls, status: int, url: str, html: str) -> Page:
        reader = _Reader()
        reader.feed(html)
        reader.close()
        return cls(status, url, html, reader)

    def texts(self, kind: str) -> list[str]:
        return [item if isinstance(item, str) else item[0] for item in self.reader.found[kind]]

    @property
    def h1(self) -> str:
        return self.texts("h1")[0] if self.texts("h1") else ""

    @property
    def panels(self) -> list[str]:
        return self.texts("h2")

    @property
    def alerts(self) -> list[str]:
        return self.texts("alert")

    @property
    def notices(self) -> list[str]:
        return self.texts("status")

    @property
    def labels(self) -> list[str]:
        return self.texts("label")

    @property
    def buttons(self) -> list[str]:
        return self.texts("button")

    @property
    def ids(self) -> list[str]:
        return self.reader.ids

    def control(self, label: str) -> dict:
        """The input or select a label names (exactly one)."""
        matches = [attrs.get("for") for text, attrs in self.reader.found["label"] if text == label]
        assert len(matches) == 1, f"label {label!r} found {len(matches)} times in {self.labels}"
        return self.reader.inputs[matches[0]]

    def value(self, label: str) -> str:
        return self.control(label).get("value", "")

    def link(self, name: str) -> str:
        hrefs = [attrs["href"] for text, attrs in self.reader.found["link"] if text == name]
        assert len(hrefs) == 1, f"link {name!r} found {len(hrefs)} times"
        return hrefs[0]

    def has_link(self, name: str) -> bool:
        return any(text == name for text, _ in self.reader.found["link"])

    @property
    def links(self) -> list[str]:
        return self.texts("link")

    @property
    def token(self) -> str:
        match = TOKEN.search(self.html)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def hidden(self) -> dict[str, str]:
        return {attrs["name"]: attrs.get("value", "") for attrs in self.reader.inputs.values()
                if attrs.get("type") == "hidden" and attrs.get("name") != "csrf_token"}

    def __contains__(self, text: str) -> bool:
        return text in " ".join(html.unescape(self.html).split())

    @property
    def region_id(self) -> str:
        """The id of the region an in-place answer replaces (the ajax release's <main>)."""
        match = REGION.search(self.html)
        assert match, "no region on the page"
        return match.group(1) or match.group(2)

    def main(self) -> Page:
        """The page's <main> element alone, read as a page (what an in-place answer holds)."""
        match = MAIN.search(self.html)
        assert match, "no <main> on the page"
        return Page.parse(self.status, self.url, match.group(0))


@dataclass
class Partial:
    """A JSF partial response: the ajax release's answer to an in-place request."""

    status: int
    headers: dict[str, str]
    body: str
    elapsed_s: float

    @property
    def root(self) -> ElementTree.Element:
        return ElementTree.fromstring(self.body.encode())

    @property
    def redirect(self) -> str | None:
        found = self.root.find("redirect")
        return None if found is None else found.get("url")

    @property
    def updates(self) -> dict[str, str]:
        """The markup of each update, by the id of the element it replaces."""
        return {update.get("id"): update.text or "" for update in self.root.iter("update")}

    def region(self, url: str = "") -> Page:
        """The one update's markup, read as a page (at `url`: the page's address stays)."""
        [markup] = self.updates.values()
        return Page.parse(self.status, url, markup)

@functools.cache
def code_period(fixture_path: str | None) -> int:
    """The seconds a verification code lasts on a portal started with this fixture."""
    return fixture.load(fixture_path).gateway.totp_period_s


class PortalClient:
    """A browser-less user of the portal; `period_s` is the step of its authenticator app,
    the portal's (the fixture's `gateway.totp_period_s`)."""

    def __init__(self, base_url: str, *, timeout: float = 10, period_s: int = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.period_s = period_s
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.last: Page | None = None

    @classmethod
    def of(cls, portal) -> PortalClient:
        """A client of a mock portal process (a PortalProcess), its authenticator on the step
        of the fixture the process was started with."""
        path = portal.options.get("fixture")
        return cls(portal.url, period_s=code_period(str(path) if path is not None else None))

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                page = Page.parse(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as error:
            page = Page.parse(error.code, error.url, error.read().decode())
        self.last = page
        return page

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def get(self, path: str, **params: str) -> Page:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self._open(urllib.request.Request(self.url(path) + query))

    def post(self, path: str, data: dict[str, str], *, token: str | None = "auto") -> Page:
        """A form POST; the CSRF token of the last page is added unless `token` is given
        (None: no token at all)."""
        fields = dict(data)
        if token == "auto":
            fields["csrf_token"] = self.last.token if self.last else ""
        elif token is not None:
            fields["csrf_token"] = token
        body = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.url(path), data=body, method="POST"))

    def partial(self, path: str, data: dict[str, str] | None = None, *,
                region: str | None = "auto", token: str | None = "auto",
                **params: str) -> Partial:
        """An in-place request, as static/partial.js sends it: the same GET (`params`) or
        form POST (`data`, with the last page's CSRF token unless `token` is given) plus
        `Faces-Request: partial/ajax` and the id of the region shown (by default the last
        page's; None: no such header). An update read becomes the last page, as it becomes
        what the browser shows."""
        headers = dict(FACES_REQUEST)
        if region == "auto":
            region = self.last.region_id if self.last else None
        if region is not None:
            headers[RENDER_HEADER] = region
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        body = None
        if data is not None:
            fields = dict(data)
            if token == "auto":
                fields["csrf_token"] = self.last.token if self.last else ""
            elif token is not None:
                fields["csrf_token"] = token
            body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.url(path) + query, data=body, headers=headers,
                                         method="GET" if body is None else "POST")
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, found, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, found, text = error.code, error.headers, error.read()
        answer = Partial(status, {name.lower(): value for name, value in found.items()},
                         text.decode(), time.monotonic() - started)
        if answer.headers.get("content-type", "").startswith("text/xml") and answer.updates:
            self.last = answer.region(self.last.url if self.last else "")
        return answer

    def path(self) -> str:
        """The address of the page last opened, without host and query."""
        return urllib.parse.urlsplit(self.last.url).path if self.last else ""

    def login(self, user: str = "posc.demo", password: str = "Demo-Passw0rd!", *,
              secret: str | None = None) -> Page:
        """Logs in as the portal asks. Its own panel (`--login simple`): the user ID and
        password. The Virtual Gateway: Business Log In with the user's email (`user` is an
        email, or a user ID of the known fixtures), the code of an authenticator app holding
        `secret` (by default the known user's), then the POSC from My Applications. Returns
        the POSC's home page, or the page that refused."""
        page = self.get(POSC_LOGIN)
        if self.path() == POSC_LOGIN:
            return self.post(POSC_LOGIN, {"user_id": user, "password": password})
        known = known_users().get(user.casefold())
        email = user if "@" in user or known is None else known.email or user
        secret = secret or (known.totp_secret if known else None)
        page = self.vg_password(email, password)
        if self.path() != VG_VERIFY or secret is None:
            return page
        page = self.vg_fresh_code(secret)
        if not page.has_link(POSC_APPLICATION):
            return page
        return self.get(page.link(POSC_APPLICATION))

    def vg_password(self, email: str, password: str) -> Page:
        """The Business Log In panel, filled in and sent."""
        self.get(VG_LOGIN)
        return self.post(VG_LOGIN, {"email": email, "password": password})

    def vg_code(self, code: str) -> Page:
        """The Multifactor Authentication panel's code, sent (the form's token is the one of
        the gateway's last page)."""
        return self.post(VG_VERIFY, {"code": code})

    def vg_fresh_code(self, secret: str) -> Page:
        """The codes of the steps around now, earliest first, until one is accepted: the
        gateway refuses a step this user already logged in with, so a second login within a
        step takes the next step's code, a fourth waits for a new step."""
        period_s = self.period_s
        totp = Totp(secret, interval=period_s)
        step = None
        for _ in range(MAX_CODES):
            now = totp.timecode(time.time())
            step = now - 1 if step is None else max(step + 1, now - 1)
            if step > now + 1:  # wait until the gateway's window reaches it
                time.sleep((step - 1) * period_s - time.time() + 0.05)
            page = self.vg_code(totp.generate_otp(step))
            if page.panels != ["Multifactor Authentication"]:
                return page
        return page

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((cookie for cookie in self.cookies if cookie.name == name), None)
