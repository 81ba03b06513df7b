"""Reading submitted forms. A field may be missing, a file, or far too long: none of that
reaches a rule or the database as anything but bounded text."""

from __future__ import annotations

from starlette.datastructures import FormData, ImmutableMultiDict
from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_FIELDS = 40
MAX_LENGTH = 200


async def read(request: Request) -> FormData | None:
    """The form, or None when the body is not a form the portal could have sent."""
    try:
        return await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=64 * 1024)
    except (HTTPException, ValueError, UnicodeDecodeError):
        return None


def text(form: ImmutableMultiDict | None, name: str) -> str:
    """A field of a form (or of a query string) as text of bounded length; '' if absent."""
    value = form.get(name) if form is not None else None
    return value[:MAX_LENGTH] if isinstance(value, str) else ""


def whole_number(value: str | None, *, default: int) -> int:
    """A page number or record id from a link; anything else falls back to `default`."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return default
    return int(value)
