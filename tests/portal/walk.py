"""What a person does on the portal, as a QA engineer would script it against any instance:
everything found by role, label or visible text, never by id, class or position.

The walk finds the fields it fills by their label's words (`Last Name` also finds a field a
release relabelled `Member Last Name`); the exact labels, titles and texts are asserted by the
test of each panel. So one drift fails the test of its panel, not every test that walks past it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

TITLE = "MassHealth Provider Online Service Center (POSC)"
REQUIRED_NOTE = "Fields marked with a red asterisk (*) are required."


def log_in(page: Page, base_url: str, user_id: str, password: str) -> None:
    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    page.get_by_label("User ID", exact=True).fill(user_id)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log In", exact=True).click()


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Provider Services")


def open_menu_path(page: Page, *labels: str) -> None:
    """Job aid steps 1-3: click each menu item in turn."""
    for label in labels:
        menu(page).get_by_role("link", name=label, exact=True).click()


def panel(page: Page, title: str) -> Locator:
    """A panel: the region named by its heading."""
    return page.get_by_role("region", name=title, exact=True)


def alert(page: Page) -> Locator:
    return page.get_by_role("alert")


def notice(page: Page) -> Locator:
    return page.get_by_role("status")


def open_member_search(page: Page) -> Locator:
    open_menu_path(page, "Manage Members", "Enrollment", "Enroll/Disenroll One Care Members")
    search = panel(page, "Member Search")
    expect(search).to_be_visible()
    return search


def search_member(page: Page, member: dict) -> None:
    """Job aid steps 5-8."""
    page.get_by_label("Member ID").fill(member["member_id"])
    page.get_by_label("Last Name").fill(member["last_name"])
    page.get_by_label("First Name").fill(member["first_name"])
    page.get_by_role("button", name="Search", exact=True).click()


def open_list_of_providers(page: Page) -> Locator:
    open_menu_path(page, "Manage Provider Information", "Maintain Profile",
                   "Update Your MassHealth Profile")
    providers = panel(page, "List of Providers")
    expect(providers).to_be_visible()
    return providers


def open_group_practice_info(page: Page, provider_name: str) -> None:
    """Job aid steps 3-5."""
    open_list_of_providers(page).get_by_role("link", name=provider_name, exact=True).click()
    panel(page, "Steps").get_by_role("link", name="Group Practice Info", exact=True).click()
    expect(panel(page, "List of Locations")).to_be_visible()


def open_location(page: Page, location: str) -> Locator:
    """Job aid step 6."""
    panel(page, "List of Locations").get_by_role("link", name=location, exact=True).click()
    servicing = panel(page, "List of Servicing Providers")
    expect(servicing).to_be_visible()
    return servicing


def choose_practitioner(page: Page, name: str, pages: int) -> None:
    """Job aid step 7: page through the list ("the numbers and arrows") to the name."""
    servicing = panel(page, "List of Servicing Providers")
    for _ in range(pages):
        link = servicing.get_by_role("link", name=name, exact=True)
        if link.count():
            link.click()
            expect(panel(page, "Date Detail")).to_be_visible()
            return
        servicing.get_by_role("link", name="Next page").click()
    raise AssertionError(f"{name} is on none of the {pages} pages")


def open_date_detail(page: Page, data: dict) -> None:
    """Job aid steps 3-8 for the suite's practitioner."""
    open_group_practice_info(page, data["provider"]["name"])
    open_location(page, data["location"])
    choose_practitioner(page, data["practitioner"]["name"], data["pages"])


# The colour of the asterisk that marks a required field's label: drawn by CSS (::before or
# ::after), or a "*" in the label's text or in an element of its own.
_ASTERISK_COLOUR = """field => {
    const label = field.labels && field.labels[0];
    if (!label) return null;
    for (const pseudo of ['::before', '::after']) {
        const style = getComputedStyle(label, pseudo);
        if (style.content && style.content.includes('*')) return style.color;
    }
    for (const part of label.querySelectorAll('*')) {
        if (part.textContent.trim() === '*') return getComputedStyle(part).color;
    }
    return label.textContent.includes('*') ? getComputedStyle(label).color : null;
}"""


def expect_required(scope: Page | Locator, label: str) -> None:
    """"Fields marked with a red asterisk (*) are required.": the label carries a red asterisk
    and the field says it is required to assistive technology."""
    field = scope.get_by_label(label, exact=True)
    expect(field, f"the field labelled {label!r}").to_have_attribute("aria-required", "true")
    colour = field.evaluate(_ASTERISK_COLOUR)
    assert colour, f"the label {label!r} carries no asterisk"
    red, green, blue = (int(n) for n in re.findall(r"\d+", colour)[:3])
    assert red >= 150 and green <= 100 and blue <= 100, f"the asterisk of {label!r} is not red: {colour}"


def alert_lines(page: Page) -> list[str]:
    text = alert(page).inner_text()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def us_date(text: str) -> str:
    match = re.search(r"\b\d{2}/\d{2}/\d{4}\b", text)
    assert match, f"no MM/DD/YYYY date in {text!r}"
    return match.group(0)
