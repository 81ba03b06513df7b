"""The portal's releases (`--variant`).

- classic: the portal of docs/portal.md.
- restyled: other generated ids (MyFaces style), classes, colours and layout (menu on the
  right, forms laid out as tables, buttons above the fields); the same visible texts and the
  same accessible roles and labels. Its own layout and widgets; the page templates are shared.
- drifted: a release that changed things: the three templates it overrides hold the label,
  title and button drifts, and it drops one Disenrollment Reason.
- ajax: classic's look, texts and steps, with JSF/RichFaces mechanics: Member Search's Search,
  the Disenrollment Submit and Group Practice Info's choices, paging and buttons are sent as
  AJAX requests (static/partial.js) and answered with JSF partial responses that replace the
  page's region in place, after a delay (partial.py); ids are regenerated at every render. Its
  own layout (the region and the script); the rest is classic's.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_portal import menu


@dataclass(frozen=True)
class Variant:
    name: str
    template_dirs: tuple[str, ...]  # searched in this order
    stylesheet: str
    id_style: str  # "jsf-ri" (j_id_id13pc3) or "myfaces" (_idJsp13)
    removed_reasons: tuple[str, ...] = ()
    # Addresses whose forms and list links are sent as AJAX requests and answered in place.
    in_place: tuple[str, ...] = ()
    # Ids new at every render, as a JSF view rebuilt for each response; else stable per page.
    ids_per_render: bool = False

    def reasons(self, listed: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(reason for reason in listed if reason not in self.removed_reasons)


VARIANTS = {
    "classic": Variant("classic", ("classic",), "classic.css", "jsf-ri"),
    "restyled": Variant("restyled", ("restyled", "classic"), "restyled.css", "myfaces"),
    "drifted": Variant("drifted", ("drifted", "classic"), "classic.css", "jsf-ri",
                       removed_reasons=("Member request",)),
    "ajax": Variant("ajax", ("ajax", "classic"), "classic.css", "jsf-ri",
                    in_place=(menu.MEMBER_SEARCH, menu.DISENROLLMENT, menu.GROUP_PRACTICE_INFO),
                    ids_per_render=True),
}
