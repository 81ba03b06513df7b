"""What a panel marks, checked however a portal draws it: required fields, fields in error
and refusals (the error line, led by "a small red circle with a white 'x'", POSC help)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from flows.panels import loose
from flows.transitions import ERROR_SIGNS
from tests.portal.finding import Scope, error, expect_shown, field

REQUIRED_NOTE = "Fields marked with a red asterisk (*) are required."


# --- refusals -----------------------------------------------------------------------------

def refusal(page: Page, message: str | re.Pattern[str]) -> Locator:
    """Waits for an error line saying `message` (a job aid's sentence, matched loosely, or a
    pattern of a message's key words) and returns it."""
    pattern = loose(message, exact=False) if isinstance(message, str) else message
    line = error(page).filter(has_text=pattern)
    expect(line.first, f"an error line saying {pattern.pattern!r}").to_be_visible()
    return line.first


def error_icons(scope: Locator) -> Locator:
    """ "A small red circle with a white 'x'" (POSC help): an image named Error, or the sign
    written as a character."""
    return scope.get_by_role("img", name=re.compile(r"\berror\b", re.IGNORECASE)).or_(
        scope.get_by_text(re.compile(f"^\\s*[{ERROR_SIGNS}]")))


def error_lines(page: Page) -> list[str]:
    """The error lines shown, one a message (sync twin of flows.transitions.error_text)."""
    texts = error(page).all_inner_texts()
    lines = [" ".join(line.split()).lstrip(ERROR_SIGNS + " ") for text in texts for line in text.splitlines()]
    return list(dict.fromkeys(line for line in lines if line))


def expect_refusals(page: Page, patterns: list[re.Pattern[str]]) -> None:
    """Exactly one error line for each pattern, in this order, each led by the error icon."""
    refusal(page, patterns[-1])
    lines = error_lines(page)
    assert len(lines) == len(patterns) and all(p.search(line) for p, line in zip(patterns, lines, strict=True)), (
        f"the error lines {lines} are not, in order, {[p.pattern for p in patterns]}")
    expect(error_icons(error(page))).to_have_count(len(patterns))


# Whether a field says it is in error: aria-invalid, or an icon beside it whose text
# alternative speaks of an error ("the same icon beside each field in error", POSC help).
_IN_ERROR = """field => {
    if (field.getAttribute('aria-invalid') === 'true') return true;
    const box = field.parentElement;
    return !!box && [...box.querySelectorAll('img, svg, i, span')].some(icon =>
        /error/i.test([icon.getAttribute('alt'), icon.getAttribute('title'),
                       icon.getAttribute('aria-label')].join(' ')));
}"""


def expect_in_error(scope: Scope, label: str) -> None:
    target = field(scope, label)
    expect_shown(target, f"the field labelled {label!r}", scope, like={"label": label})
    assert target.evaluate(_IN_ERROR), f"the field labelled {label!r} is not marked in error"


# --- required fields ----------------------------------------------------------------------

# The required marks of a field: its required / aria-required attribute, and the colour of an
# asterisk in its label (drawn by CSS ::before or ::after, a "*" in the label's text or in an
# element of its own) or right beside the label.
_REQUIRED_MARKS = """field => {
    const attribute = field.required || field.getAttribute('aria-required') === 'true';
    let label = field.labels && field.labels[0];
    const by = field.getAttribute('aria-labelledby');
    if (!label && by) label = document.getElementById(by.split(/\\s+/)[0]);
    const star = el => {
        if (!el || el.nodeType !== Node.ELEMENT_NODE) return null;
        for (const pseudo of ['::before', '::after']) {
            const style = getComputedStyle(el, pseudo);
            if (style.content && style.content.includes('*')) return style.color;
        }
        for (const part of el.querySelectorAll('*')) {
            if (part.textContent.trim() === '*') return getComputedStyle(part).color;
        }
        return el.textContent.includes('*') ? getComputedStyle(el).color : null;
    };
    let asterisk = star(label);
    if (!asterisk && label) {
        for (const side of [label.previousSibling, label.nextSibling]) {
            if (!side || side.textContent.trim() !== '*') continue;
            asterisk = side.nodeType === Node.ELEMENT_NODE ? star(side) : getComputedStyle(label.parentElement).color;
            if (asterisk) break;
        }
    }
    return {attribute, asterisk};
}"""


def expect_required(scope: Scope, label: str) -> None:
    """ "Fields marked with a red asterisk (*) are required.": the field is marked required by
    an asterisk in or beside its label (which must then be red), or by its required /
    aria-required attribute."""
    target = field(scope, label)
    expect_shown(target, f"the field labelled {label!r}", scope, like={"label": label})
    marks = target.evaluate(_REQUIRED_MARKS)
    colour = marks["asterisk"]
    assert colour or marks["attribute"], (
        f"the field labelled {label!r} is not marked required: no asterisk in or beside its label, "
        "no required or aria-required attribute")
    if colour:
        red, green, blue = (int(n) for n in re.findall(r"\d+", colour)[:3])
        assert red >= 150 and green <= 100 and blue <= 100, f"the asterisk of {label!r} is not red: {colour}"
