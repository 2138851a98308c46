"""Reading an uploaded workspaces CSV: the user CSV's file-level checks (size, binary,
encoding incl. UTF-8 BOM and UTF-16) with the workspace CSV's wording."""

from __future__ import annotations

from licensing.csv import reading


def read_rows(content: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the file, checked for size and shape; nothing applied."""
    return reading.read_rows(content, what="workspaces")
