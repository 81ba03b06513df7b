"""Reading a Provider ID off a panel: portals show it as `110000000A`, `110000000 A`,
`110000000` (the base alone) or inside a name (`CCA (110000000A)`)."""

from __future__ import annotations

import re


def _any_location(provider_id: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\d){provider_id[:9]}(?:\s?([A-Z]))?(?![A-Z0-9])")


def provider_matches(shown: str, provider_id: str) -> bool:
    """True when `shown` names `provider_id` (nine digits + location letter) and no other."""
    found = _any_location(provider_id).findall(shown.upper())
    return bool(found) and all(suffix in ("", provider_id[9:]) for suffix in found)


def provider_id_pattern(provider_id: str) -> re.Pattern[str]:
    """Text naming `provider_id`, with or without its location letter (for a table row)."""
    base, letter = provider_id[:9], provider_id[9:]
    return re.compile(rf"(?<!\d){base}(?:\s?{letter}(?![A-Za-z0-9])|(?!\s?[A-Za-z0-9]))", re.IGNORECASE)
