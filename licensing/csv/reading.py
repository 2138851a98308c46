"""Reading an uploaded CSV: file-level checks, each one clear message, nothing
applied (SPEC §4). Accepted: UTF-8 with or without BOM, and UTF-16 with a BOM (what
spreadsheet programs write for "Unicode text")."""

from __future__ import annotations

import codecs
import csv
import io

from licensing.csv.errors import CsvFileError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


def check_size(size: int) -> None:
    """The 10 MB limit: checked by the upload form and API before the file is read, and
    again by the worker."""
    if size > MAX_BYTES:
        raise CsvFileError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is 10 MB. Split it."
        )


def decode(content: bytes, *, what: str = "users") -> str:
    if not content.strip():
        raise CsvFileError(
            f"The file is empty. Export the {what} CSV, edit it and upload it again."
        )
    check_size(len(content))
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    if b"\x00" in content[:4096]:
        raise CsvFileError(
            "This is not a text file (it looks binary, for example a spreadsheet). "
            "Save it as CSV UTF-8 and upload that."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            f"The file is not UTF-8 (byte {error.start + 1} cannot be read). "
            "Save it as CSV UTF-8 and upload it again."
        ) from error


def read_rows(content: bytes, *, what: str = "users") -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a CSV of ``what`` (users, workspaces), checked for size and
    shape; nothing applied."""
    text = decode(content, what=what)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = [h.strip() for h in next(reader, [])]
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise CsvFileError(f"The file is not valid CSV: {error}.") from error
    if not any(headers):
        raise CsvFileError(f"The file has no header row. Start from an exported {what} CSV.")
    if len(rows) > MAX_ROWS:
        raise CsvFileError(f"The file has {len(rows)} rows; the limit is {MAX_ROWS}. Split it.")
    if not rows:
        raise CsvFileError(f"The file has a header row but no {what}.")
    width = len(headers)
    for number, row in enumerate(rows, start=2):
        if any(cell.strip() for cell in row[width:]):
            raise CsvFileError(
                f"Row {number} has {len(row)} cells but the header row has {width}: a cell with "
                "a comma is probably not quoted. Export the file again from the spreadsheet."
            )
    return headers, [(row + [""] * width)[:width] for row in rows]
