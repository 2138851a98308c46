"""The user CSV's file-level error is the one CSV reader's (``partnerhub.csvfiles``)."""

from __future__ import annotations

from partnerhub.csvfiles.errors import CsvFileError

__all__ = ["CsvFileError"]
