"""Reading a Provider ID off a panel: portals show it as `110000000A`, `110000000 A`,
`110000000` (the base alone) or inside a name (`CCA (110000000A)`)."""

from __future__ import annotations

import re


def provider_matches(shown: str, provider_id: str) -> bool:
    """True when `shown` names `provider_id` (nine digits + location letter) and no other."""
    base, letter = provider_id[:9], provider_id[9:]
    found = re.findall(rf"(?<!\d){base}(?:\s?([A-Z]))?(?![A-Z0-9])", shown.upper())
    return bool(found) and all(suffix in ("", letter) for suffix in found)
