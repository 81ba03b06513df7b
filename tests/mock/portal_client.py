"""A small HTTP client for the mock portal's server-level tests: the standard library only
(cookies kept, redirects followed), and a reader of what a page shows: its headings, alerts,
notices, labels and values, buttons, links and tables."""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')
VOID = {"input", "img", "br", "meta", "link", "hr"}


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


class PortalClient:
    """A browser-less user of the portal."""

    def __init__(self, base_url: str, *, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.last: Page | None = None

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

    def login(self, user_id: str = "posc.demo", password: str = "Demo-Passw0rd!") -> Page:
        self.get("/EHSProviderPortal/login.jsf")
        return self.post("/EHSProviderPortal/login.jsf", {"user_id": user_id, "password": password})

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((cookie for cookie in self.cookies if cookie.name == name), None)
