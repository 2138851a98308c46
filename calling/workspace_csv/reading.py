"""Reading an uploaded workspaces CSV: the user CSV's file-level checks (size, binary,
encoding incl. UTF-8 BOM and UTF-16) with the workspace CSV's wording."""

from __future__ import annotations

import csv
import io

from licensing.csv.errors import CsvFileError
from licensing.csv.reading import MAX_ROWS, decode


def read_rows(content: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the file, checked for size and shape; nothing applied."""
    if not content.strip():
        raise CsvFileError(
            "The file is empty. Export the workspaces CSV, edit it and upload it again."
        )
    text = decode(content)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = [h.strip() for h in next(reader, [])]
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise CsvFileError(f"The file is not valid CSV: {error}.") from error
    if not any(headers):
        raise CsvFileError("The file has no header row. Start from an exported workspaces CSV.")
    if len(rows) > MAX_ROWS:
        raise CsvFileError(f"The file has {len(rows)} rows; the limit is {MAX_ROWS}. Split it.")
    if not rows:
        raise CsvFileError("The file has a header row but no workspaces.")
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in rows]
