"""The portal's refusal, however a portal draws the POSC's error line ("a statement displayed
in the upper portion of the panel, preceded by a small red circle with a white 'x'"), is read
as its own words; the page's other texts never are."""

from __future__ import annotations

import pytest

from flows.transitions import error_shown, error_text
from tests.flows.conftest import in_chromium

MESSAGE = "No member was found for the Member ID entered."

PAGE = """<!DOCTYPE html><html lang=en><title>Member Search</title><body>
<h2>Member Search</h2>{error}
<p>Fields marked with a red asterisk (*) are required.</p>
<div class="field"><label for=m>* Member ID</label><input id=m value="199999999999">
  <img alt="Error" src="data:,"></div>
<p>Reminder: x marks the spot.</p>
</body></html>"""

ERROR_LINES = {
    "role-alert": f'<div role="alert">{MESSAGE}</div>',
    "class-error": f'<div class="error">{MESSAGE}</div>',
    "richfaces-table": f'<table><tr class="rf-msgs-err"><td><img alt="Error" src="data:,"></td>'
                       f'<td><span>{MESSAGE}</span></td></tr></table>',
    "icon-table-without-class": f'<table><tr><td><img alt="Error" src="data:,"></td><td>{MESSAGE}</td></tr></table>',
    "icon-first-in-a-div": f'<div class="msgs"><img alt="error icon" src="data:,"> {MESSAGE}</div>',
    "labelled-svg-first-in-a-paragraph": f'<p><svg aria-label="Error" width=8 height=8></svg> {MESSAGE}</p>',
    "sign-as-first-character": f'<p class="msg">✖ {MESSAGE}</p>',
}


def _read(html: str):
    async def read(page):
        await page.set_content(html)
        return await error_shown(page), await error_text(page)

    return in_chromium(read)


@pytest.mark.parametrize("markup", sorted(ERROR_LINES))
def test_the_error_line_is_found_and_read_in_the_portals_own_words(markup):
    assert _read(PAGE.format(error=ERROR_LINES[markup])) == (True, MESSAGE)


def test_a_page_without_an_error_line_shows_none_despite_field_icons_notes_and_reminders():
    shown, _ = _read(PAGE.format(error=""))
    assert not shown
