"""The one CSV writer (``partnerhub.csvfiles.writing``, SPEC §4): spreadsheet-safe
cells undone exactly by the reader, UTF-8 with BOM, and every download named and
never cached."""

from __future__ import annotations

import csv
import io

import pytest

from partnerhub.csvfiles.reading import read_table
from partnerhub.csvfiles.writing import csv_file_bytes, csv_text
from partnerhub.spreadsheets import spreadsheet_safe, undo_spreadsheet_escape

ESCAPED = [
    '=HYPERLINK("http://evil.example";"x")',
    "-2+3+cmd|' /C calc'!A0",
    '+1+HYPERLINK("http://evil.example")',
    "@SUM(A1:A9)",
    "\tleading tab",
    "\rleading CR",
    "+47 22 33 44 55",
    "-",
    "'=already quoted",
]
INTACT = ["+4722334455", "-12", "3.5", "-0.25", "1e5", "Anna", "", "'plain quote", "a=b", "50%"]


@pytest.mark.parametrize("value", ESCAPED)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value: str):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", INTACT)
def test_numbers_e164_numbers_and_text_stay_as_they_are(value: str):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("value", ESCAPED + INTACT + ["''=x", "'+4722334455"])
def test_the_import_undoes_exactly_what_the_export_added(value: str):
    assert undo_spreadsheet_escape(spreadsheet_safe(value)) == value


def test_what_the_writer_writes_the_reader_reads_back_unchanged():
    rows = [[value, "x"] for value in ESCAPED + INTACT]

    content = csv_file_bytes(csv_text(headers=["Name", "Other"], rows=rows))

    assert content.startswith("\ufeff".encode())
    assert read_table(content, what="file").rows == rows


def test_written_cells_are_escaped_in_the_file():
    text = csv_text(headers=["=H"], rows=[["=1+2"], ["+4722334455"]])
    assert list(csv.reader(io.StringIO(text))) == [["'=H"], ["'=1+2"], ["+4722334455"]]
