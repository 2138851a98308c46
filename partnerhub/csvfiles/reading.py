"""The one CSV reader (SPEC §4): the user, workspace, agent-template and directory
files all come through ``read_table``, with one size/row policy.

What real spreadsheets write is read as meant: comma, semicolon or tab separated
(detected from the header line); UTF-8 with or without BOM, UTF-16 with BOM
(``encoding``); CR, LF or CRLF line ends; quotes and line breaks inside cells;
leading blank lines; columns with no header whose cells are all empty (Excel keeps
formatted empty columns). Cells lose the apostrophe our exports put in front of
formula-like values (``partnerhub.spreadsheets``), so an export re-imports unchanged.

Anything else is one ``CsvFileError`` that says what is wrong and how to fix it;
the caller applies nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from partnerhub.csvfiles.encoding import decode_text
from partnerhub.csvfiles.errors import CsvFileError
from partnerhub.spreadsheets import undo_spreadsheet_escape

MAX_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_ROWS = 20_000  # data rows per file
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class CsvTable:
    """A read file: headers with their spaces tidied (trimmed, runs of spaces as one), rows as wide as the headers (values un-escaped,
    blank rows left out) and each row's number as a spreadsheet shows it (the header
    is row 1 unless blank lines precede it)."""

    headers: list[str]
    rows: list[list[str]]
    numbers: list[int]
    delimiter: str


def check_size(size: int) -> None:
    """The size limit: checked by upload forms and the API before the file is read,
    and again when it is read."""
    if size > MAX_BYTES:
        raise CsvFileError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it."
        )


def detect_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line (outside quotes) has most;
    a comma when it has none (a one-column file)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip(" \t,;"):
            return line
    return ""


def read_table(content: bytes, *, what: str) -> CsvTable:
    """Read the file named ``what`` in messages ("users CSV", "agent template")."""
    if not content.strip():
        raise CsvFileError(f"The file is empty. Export the {what}, edit it and upload it again.")
    check_size(len(content))
    text = decode_text(content, what=what)
    if not text.strip():
        raise CsvFileError(f"The file is empty. Export the {what}, edit it and upload it again.")
    delimiter = detect_delimiter(_first_line(text))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CsvFileError(
            f"The file is not valid CSV ({error}). Save it again from the spreadsheet as "
            '"CSV UTF-8".'
        ) from None
    start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if start is None:
        raise CsvFileError(f"The file has no header row. Start from an exported {what}.")
    headers = [" ".join(h.split()) for h in records[start]]
    body = [(n, r) for n, r in enumerate(records[start + 1 :], start + 2) if any(map(str.strip, r))]
    if len(body) > MAX_ROWS:
        raise CsvFileError(f"The file has {len(body)} rows; the limit is {MAX_ROWS}. Split it.")
    if not body:
        raise CsvFileError("The file has a header row but no rows: add at least one row.")
    keep = _named_columns(headers, body)
    whole = keep == list(range(len(headers)))
    quoted = "'" in text  # no apostrophe anywhere: nothing to un-escape (most files)
    return CsvTable(
        headers=[headers[i] for i in keep],
        rows=[_cells(row, keep, whole=whole, quoted=quoted) for _, row in body],
        numbers=[n for n, _ in body],
        delimiter=delimiter,
    )


def known_headers(headers: list[str], known: Iterable[str]) -> list[str]:
    """The headers, each written as the known column it names in another case
    (``user id/email (required)`` is ``User ID/Email (Required)``)."""
    by_key = {name.casefold(): name for name in known}
    return [by_key.get(header.casefold(), header) for header in headers]


def _named_columns(headers: list[str], body: list[tuple[int, list[str]]]) -> list[int]:
    """Positions of the columns to read: unnamed columns must be empty, and so must
    cells beyond the header row."""
    width = len(headers)
    for number, row in body:
        if any(cell.strip() for cell in row[width:]):
            raise CsvFileError(
                f"Row {number} has {len(row)} cells but the header row has {width}: a cell "
                "with a separator in it is probably not quoted, or a column has no header. "
                "Export the file again from the spreadsheet."
            )
    keep = []
    for index, header in enumerate(headers):
        if header:
            keep.append(index)
            continue
        used = next((n for n, row in body if index < len(row) and row[index].strip()), None)
        if used is not None:
            raise CsvFileError(
                f"Column {index + 1} has no header but holds values (first on row {used}). "
                "Give it the right header or delete the column."
            )
    if not keep:
        raise CsvFileError("The file has no header row. Start from an exported file.")
    return keep


def _cells(row: list[str], keep: list[int], *, whole: bool, quoted: bool) -> list[str]:
    """The row's cells of the kept columns, padded, with export escapes undone."""
    width = len(row)
    if whole and width == len(keep):
        cells = row
    else:
        cells = [row[i] if i < width else "" for i in keep]
    if quoted:
        return [undo_spreadsheet_escape(c) if c[:1] == "'" else c for c in cells]
    return cells
