from __future__ import annotations

from partnerhub.errors import DomainError


class CsvFileError(DomainError):
    """The whole file is refused; nothing was applied."""

    code = "csv_file_invalid"
