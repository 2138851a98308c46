"""CSV cells that are safe to open in a spreadsheet (no formula injection)."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^[+-][0-9]")


def spreadsheet_safe(value: object) -> str:
    """Cells starting with =, @, tab or CR, or with + or - not followed by a digit,
    get a leading apostrophe; phone numbers such as +4722334455 stay intact."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not _NUMBER.match(text)):
        return "'" + text
    return text
