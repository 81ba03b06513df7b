"""The portal's releases (`--variant`).

- classic: the portal of docs/portal.md.
- restyled: other generated ids (MyFaces style), classes, colours and layout (menu on the
  right, forms laid out as tables, buttons above the fields); the same visible texts and the
  same accessible roles and labels. Its own layout and widgets; the page templates are shared.
- drifted: a release that changed things: the three templates it overrides hold the label,
  title and button drifts, and it drops one Disenrollment Reason.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    template_dirs: tuple[str, ...]  # searched in this order
    stylesheet: str
    id_style: str  # "jsf-ri" (j_id_id13pc3) or "myfaces" (_idJsp13)
    removed_reasons: tuple[str, ...] = ()

    def reasons(self, listed: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(reason for reason in listed if reason not in self.removed_reasons)


VARIANTS = {
    "classic": Variant("classic", ("classic",), "classic.css", "jsf-ri"),
    "restyled": Variant("restyled", ("restyled", "classic"), "restyled.css", "myfaces"),
    "drifted": Variant("drifted", ("drifted", "classic"), "classic.css", "jsf-ri",
                       removed_reasons=("Member request",)),
}
