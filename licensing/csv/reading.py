"""Reading an uploaded users CSV: the one CSV reader (``partnerhub.csvfiles.reading``,
SPEC §4) with the user CSV's wording."""

from __future__ import annotations

from partnerhub.csvfiles.reading import MAX_BYTES, MAX_ROWS, CsvTable, check_size, read_table

__all__ = ["MAX_BYTES", "MAX_ROWS", "CsvTable", "check_size", "read_rows", "read_users_csv"]


def read_users_csv(content: bytes) -> CsvTable:
    """Headers, rows and row numbers of the file; ``CsvFileError`` if it cannot be read."""
    return read_table(content, what="users CSV")


def read_rows(content: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the file (for callers that need no row numbers)."""
    table = read_users_csv(content)
    return table.headers, table.rows
