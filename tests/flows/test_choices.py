"""Choosing a list entry by name the way the portal draws it: a link, a button or a clickable
row (a JSF data table with row selection), always by the whole name."""

from __future__ import annotations

from flows import choices
from tests.flows.conftest import in_chromium

# Each list records the entry chosen in the page's title, so a test sees what a click did.
LISTS = """<!DOCTYPE html><html lang=en><title>none</title><body>
<table id=links><tr><th>Name</th><th>Type</th></tr>
  <tr><td><a href="#" onclick="document.title='link SMITH, JOHN'">SMITH, JOHN</a></td><td>MD</td></tr>
  <tr><td><a href="#" onclick="document.title='link SMITH, JOHNATHAN'">SMITH, JOHNATHAN</a></td><td>MD</td></tr>
</table>
<table id=buttons><tr><th>Name</th></tr>
  <tr><td><button onclick="document.title='button SMITH, JOHN'">SMITH, JOHN</button></td></tr>
</table>
<table id=rows><tr><th>Name</th><th>Provider ID</th></tr>
  <tr onclick="document.title='row SMITH, JOHN'"><td>SMITH, JOHN</td><td>110000101A</td></tr>
  <tr onclick="document.title='row ABBOTT, JANE'"><td>ABBOTT, JANE</td><td>110000102A</td></tr>
  <tr onclick="document.title='row ABBOTT, JANE 2'"><td>ABBOTT, JANE</td><td>110000103A</td></tr>
</table>
<table id=id-links><tr><th>Name</th><th>Provider ID</th></tr>
  <tr><td>BAY STATE</td><td><a href="#" onclick="document.title='id link'">110000001A</a></td></tr>
</table>
</body></html>"""


def _in_page(probe):
    async def on_the_lists(page):
        await page.set_content(LISTS)
        return await probe(page)

    return in_chromium(on_the_lists)


def test_a_link_named_exactly_is_chosen_never_a_longer_name():
    async def probe(page):
        entries, count = await choices.choice(page.locator("#links"), "smith,  john")
        await entries.click()
        return count, await page.title()

    assert _in_page(probe) == (1, "link SMITH, JOHN")


def test_a_button_is_chosen_where_the_list_has_no_links():
    async def probe(page):
        entries, count = await choices.choice(page.locator("#buttons"), "SMITH, JOHN")
        await entries.click()
        return count, await page.title()

    assert _in_page(probe) == (1, "button SMITH, JOHN")


def test_a_clickable_row_is_chosen_by_its_cell_and_a_name_listed_twice_is_counted_twice():
    async def probe(page):
        rows = page.locator("#rows")
        entries, count = await choices.choice(rows, "SMITH, JOHN")
        await entries.click()
        _, twice = await choices.choice(rows, "ABBOTT, JANE")
        _, absent = await choices.choice(rows, "YOUNG, ROBERT")
        return count, await page.title(), twice, absent

    assert _in_page(probe) == (1, "row SMITH, JOHN", 2, 0)


def test_a_row_is_chosen_by_its_link_wherever_the_link_sits_else_by_its_first_cell():
    async def probe(page):
        await (await choices.clickable(page.locator("#id-links tr").nth(1))).click()
        by_link = await page.title()
        await (await choices.clickable(page.locator("#rows tr").nth(2))).click()
        return by_link, await page.title()

    assert _in_page(probe) == ("id link", "row ABBOTT, JANE")
