"""Spreadsheet-safe CSV cells (SPEC §4: no formula injection), and the exact undo.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or CR is a formula to a
spreadsheet; it is written with a leading apostrophe unless the **whole** cell is a
number (``-12``, ``3.5``) or an E.164 number (``+4722334455``). ``-2+3+cmd|…`` and
``+1+HYPERLINK(…)`` start like numbers but are not, so they are escaped.

The import undoes exactly what the export added (``undo_spreadsheet_escape``): an
apostrophe is dropped only where the export would have put it. So that this stays
exact, a value that itself starts with ``'`` followed by a formula character is
escaped once more (``'=x`` is written ``''=x``): every value round-trips unchanged.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WHOLE_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def needs_escape(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula (or would the import strip its
    leading apostrophe)?"""
    if text[:1] in FORMULA_STARTS:
        return _WHOLE_NUMBER.fullmatch(text) is None
    return text[:1] == "'" and needs_escape(text[1:])


def spreadsheet_safe(value: object) -> str:
    """The cell as written to a CSV: ``'`` + text when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if needs_escape(text) else text


def undo_spreadsheet_escape(cell: str) -> str:
    """The value ``spreadsheet_safe`` wrote ``cell`` for; any other cell as it is."""
    if cell[:1] == "'" and needs_escape(cell[1:]):
        return cell[1:]
    return cell
