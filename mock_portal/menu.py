"""The Provider Services menu (the unlink job aid's), and the page addresses that follow it.

Each item's key is its menu path (`ManageMembers_Enrollment`); its address is
`/EHSProviderPortal/<key>.jsf`, or the first panel of a leaf this portal implements (the two
job aids' workflows, the status inquiry, and Manage Batch Files, where the 834 is). Sub-items
show only under the expanded item, so a label that appears twice in the tree ("Enrollment")
is never shown twice at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BASE = "/EHSProviderPortal"
HOME = f"{BASE}/home.jsf"
LOGIN = f"{BASE}/login.jsf"
LOGOUT = f"{BASE}/logout.jsf"

ENROLL_DISENROLL = "ManageMembers_Enrollment_EnrollDisenrollOneCareMembers"
MEMBER_SEARCH = f"{BASE}/{ENROLL_DISENROLL}/MemberSearch.jsf"
DISENROLLMENT = f"{BASE}/{ENROLL_DISENROLL}/Disenrollment.jsf"

UPDATE_PROFILE = "ManageProviderInformation_MaintainProfile_UpdateYourMassHealthProfile"
LIST_OF_PROVIDERS = f"{BASE}/{UPDATE_PROFILE}/ListOfProviders.jsf"
STEPS = f"{BASE}/{UPDATE_PROFILE}/Steps.jsf"
GROUP_PRACTICE_INFO = f"{BASE}/{UPDATE_PROFILE}/GroupPracticeInfo.jsf"
AGREEMENT = f"{BASE}/{UPDATE_PROFILE}/Agreement.jsf"

PROFILE_STATUS = "ManageProviderInformation_MaintainProfile_InquireProfileUpdateStatus"
PROFILE_STATUS_PAGE = f"{BASE}/{PROFILE_STATUS}/Status.jsf"

BATCH_FILES = "ManageBatchFiles"
BATCH_FILES_PAGE = f"{BASE}/{BATCH_FILES}/BatchFiles.jsf"
BATCH_FILE_DOWNLOAD = f"{BASE}/{BATCH_FILES}/Download.jsf"

# Leaves that lead somewhere in this portal; every other leaf is "not available".
WORKFLOW_PAGES = {
    "Home": HOME,
    ENROLL_DISENROLL: MEMBER_SEARCH,
    UPDATE_PROFILE: LIST_OF_PROVIDERS,
    PROFILE_STATUS: PROFILE_STATUS_PAGE,
    BATCH_FILES: BATCH_FILES_PAGE,
}


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    children: tuple[MenuItem, ...] = ()

    @property
    def href(self) -> str:
        return WORKFLOW_PAGES.get(self.key, f"{BASE}/{self.key}.jsf")

    @property
    def available(self) -> bool:
        """A leaf this portal implements (parents only expand)."""
        return self.key in WORKFLOW_PAGES

    def expanded_on(self, current: str | None) -> bool:
        return current is not None and (current == self.key or current.startswith(self.key + "_"))


def _tree(spec: list, parent: str = "") -> tuple[MenuItem, ...]:
    items = []
    for entry in spec:
        label, children = (entry, []) if isinstance(entry, str) else entry
        key = "Home" if label == "Home" else parent + re.sub(r"[^A-Za-z0-9]", "", label)
        items.append(MenuItem(key, label, _tree(children, key + "_")))
    return tuple(items)


MENU = _tree([
    "Home",
    "Provider Search",
    "Manage Batch Files",
    "Manage Service Authorizations",
    "Manage Correspondence and Reporting",
    ("Manage Members", [("Enrollment", ["Enroll/Disenroll One Care Members"])]),
    "Manage Claims and Payments",
    ("Manage Provider Information", [
        "Enrollment",
        ("Maintain Profile", ["Update Your MassHealth Profile", "Inquire Profile Update Status"]),
        "Business Partners (non Provider)",
    ]),
    "Administer Account",
    "Reference Publications",
    "News & Updates",
    "Related Links",
])


def _index(items: tuple[MenuItem, ...]) -> dict[str, MenuItem]:
    found: dict[str, MenuItem] = {}
    for item in items:
        found[item.key] = item
        found.update(_index(item.children))
    return found


ITEMS = _index(MENU)
assert set(WORKFLOW_PAGES) <= set(ITEMS), "a workflow page is missing from the menu"
