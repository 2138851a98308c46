"""The workspace CSV's columns: a contract like the user CSV's (SPEC §4, §5; issue #4
item 6). One ``Workspace Calling [<Subscription id>]`` column per subscription of the
org that carries Workspace Calling, `` (Suspended)`` after suspended or cancelled ones."""

from __future__ import annotations

from collections import Counter

from calling.workspaces.selectors import workspace_calling_lines
from licensing import catalogue
from licensing.csv import columns as user_columns
from licensing.csv.errors import CsvFileError
from licensing.models import SubscriptionLine

NAME = "Workspace Name (Required)"
LOCATION = user_columns.LOCATION
PHONE = user_columns.PHONE
EXTENSION = user_columns.EXTENSION
FIXED_COLUMNS = [NAME, LOCATION, PHONE, EXTENSION]
REMOVE = "REMOVE"

line_header = user_columns.package_header  # "Workspace Calling [Sub-100234]( (Suspended))"
lines = workspace_calling_lines


def export_headers(calling_lines: list[SubscriptionLine]) -> list[str]:
    """The header row an export writes (bench/workspace_csv.py builds files with it)."""
    return FIXED_COLUMNS + [line_header(line) for line in calling_lines]


def resolve_line_header(
    header: str, calling_lines: list[SubscriptionLine]
) -> SubscriptionLine | None:
    """The line a header names: ``Workspace Calling [Sub-100234]`` (with or without
    `` (Suspended)``), or plain ``Workspace Calling`` when one subscription carries it."""
    name = catalogue.license_type(catalogue.WORKSPACE_CALLING).name
    match = user_columns.PACKAGE_HEADER.match(header)
    if match:
        if match["package"].casefold() != name.casefold():
            return None
        return next(
            (c for c in calling_lines if c.subscription.external_id == match["subscription"]), None
        )
    if header.casefold() == name.casefold() and len(calling_lines) == 1:
        return calling_lines[0]
    return None


def check_headers(
    headers: list[str], calling_lines: list[SubscriptionLine]
) -> dict[str, SubscriptionLine]:
    """File-level header checks; returns the Workspace Calling columns and their lines."""
    if NAME not in headers:
        raise CsvFileError(
            f"The column '{NAME}' is missing. Start from an exported workspaces CSV; "
            "its headers must stay as they are."
        )
    duplicates = sorted(h for h, n in Counter(headers).items() if n > 1)
    if duplicates:
        raise CsvFileError(
            f"These columns appear twice: {', '.join(duplicates)}. Keep one of each."
        )
    found, unknown = {}, []
    for header in headers:
        if header in FIXED_COLUMNS:
            continue
        line = resolve_line_header(header, calling_lines)
        if line is None:
            unknown.append(header or "(empty header)")
        elif line.pk in {f.pk for f in found.values()}:
            raise CsvFileError(f"Subscription {line.subscription} has two columns. Keep one.")
        else:
            found[header] = line
    if unknown:
        raise CsvFileError(
            f"Unknown column(s): {', '.join(unknown)}. The workspaces CSV has the columns "
            f"{', '.join(FIXED_COLUMNS)} and 'Workspace Calling [<Subscription id>]' for this "
            "organisation's subscriptions; export the workspaces CSV to see them."
        )
    return found
