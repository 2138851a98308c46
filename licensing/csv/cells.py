"""The cells every CSV validator (users, workspaces) reads the same way (SPEC §4):
strict TRUE/FALSE, E.164 numbers, extensions, e-mails, and the user CSV's headers.
Each check adds the row's error (``row.error(column, message)``), never raises."""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from calling.rules import extension_problem, number_problem
from licensing.csv import columns as col
from licensing.csv.errors import CsvFileError
from licensing.csv.plans import ADD, ADD_REMOVE, RowPlan
from licensing.models import SubscriptionLine
from partnerhub.rules import email_problem


class Row(Protocol):
    """A row of a plan: its errors are collected, not raised."""

    def error(self, column: str, message: str) -> None: ...


def check_headers(headers: list[str], lines: list[SubscriptionLine]) -> dict[str, SubscriptionLine]:
    """File-level header checks; returns the package columns and their lines."""
    if col.EMAIL not in headers:
        raise CsvFileError(
            f"The column '{col.EMAIL}' is missing. Start from an exported users CSV; "
            "its headers must stay as they are."
        )
    duplicates = sorted(h for h, n in Counter(headers).items() if n > 1)
    if duplicates:
        raise CsvFileError(
            f"These columns appear twice: {', '.join(duplicates)}. Keep one of each."
        )
    packages, unknown = {}, []
    for header in headers:
        if header in col.FIXED_COLUMNS:
            continue
        line = col.resolve_package_header(header, lines)
        if line is None:
            unknown.append(header)
        else:
            packages[header] = line
    if unknown:
        raise CsvFileError(
            f"Unknown column(s): {', '.join(unknown)}. Package columns are written "
            "'<Package> [<Subscription id>]' for this organisation's subscriptions; "
            "export the users CSV to see them."
        )
    return packages


_UNSEEN = object()
_EXACT_BOOLS = {"TRUE": True, "FALSE": False, "": None, "true": True, "false": False}


def parse_bool(row: Row, column: str, value: str) -> bool | None:
    """TRUE or FALSE in any case; blank: None (no change); anything else is the row's
    error."""
    exact = _EXACT_BOOLS.get(value, _UNSEEN)  # the common cells, without upper-casing
    if exact is not _UNSEEN:
        return exact
    upper = value.upper()
    if upper == "TRUE":
        return True
    if upper == "FALSE":
        return False
    value = value.strip()
    if not value:
        return None
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    row.error(column, f"'{value}' is not TRUE or FALSE.")
    return None


def check_phone(row: Row, value: str) -> None:
    """The Phone Number cell: ``REMOVE``, empty, or E.164 (``calling.rules``, with the
    hints for what spreadsheets do to numbers)."""
    if not value or value.upper() == "REMOVE":
        return
    problem = number_problem(value)
    if problem is not None:
        row.error(col.PHONE, problem)


def check_extension(row: Row, value: str) -> None:
    """The Extension cell: ``REMOVE``, empty, or 2–10 digits (``calling.rules``)."""
    if not value or value.upper() == "REMOVE":
        return
    problem = extension_problem(value)
    if problem is not None:
        row.error(col.EXTENSION, problem)


def check_email(row: RowPlan) -> None:
    """The one e-mail rule (``partnerhub.rules``): the row's key is the normalised
    address; an address the rule refuses is the row's error."""
    row.email, problem = email_problem(row.email)
    if problem is not None:
        row.error(col.EMAIL, problem)


class CsvValidator:
    """What every CSV validator (users, workspaces) starts with: the mode, the
    calling-loss confirmation, and its cells by header."""

    def __init__(self, *, headers: list[str], mode: str, confirm_calling_loss: bool) -> None:
        if mode not in (ADD, ADD_REMOVE):
            raise CsvFileError(f"Unknown import mode '{mode}': use '{ADD}' or '{ADD_REMOVE}'.")
        self.headers, self.mode = headers, mode
        self.confirm_calling_loss = confirm_calling_loss
        self.index = {h: i for i, h in enumerate(headers)}

    @staticmethod
    def _numbers(rows: list[list[str]], numbers: list[int] | None) -> list[int]:
        """Each row's number as the spreadsheet shows it (the reader's), or 2, 3, …"""
        return numbers if numbers is not None else list(range(2, len(rows) + 2))

    def _values(self, cells: list[str]) -> dict[str, str]:
        """A row's cells by header, trimmed: read with ``.get(column, "")`` (a column
        the file lacks is blank). Built once per row, in one go."""
        return dict(zip(self.headers, map(str.strip, cells), strict=False))

    def _cell(self, cells: list[str], column: str) -> str:
        i = self.index.get(column)
        return cells[i].strip() if i is not None else ""
