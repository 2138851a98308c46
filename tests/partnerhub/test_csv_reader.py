"""The one CSV reader (``partnerhub.csvfiles.reading``, SPEC §4): what real
spreadsheets write is read as meant; anything else is one clear file error."""

from __future__ import annotations

import codecs

import pytest

from partnerhub.csvfiles.errors import CsvFileError
from partnerhub.csvfiles.reading import MAX_ROWS, known_headers, read_table

HEADERS = ["User ID/Email (Required)", "Display Name", "Location"]
ROWS = [
    ["bjorg@acme.test", "Bjørg Sæther", "Oslo"],
    ["kai@acme.test", 'Kai "KR" Ruud\n(Sales; Oslo, Norway)', "Bergen"],
]
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16 LE with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16 BE with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


def _quoted(cell: str, delimiter: str) -> str:
    if any(c in cell for c in (delimiter, '"', "\n", ",", ";", "\t")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    return "".join(delimiter.join(_quoted(c, delimiter) for c in row) + newline for row in rows)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_and_delimiter_reads_the_same_table(encoding: str, delimiter: str):
    content = ENCODINGS[encoding](csv_text([HEADERS, *ROWS], delimiter))

    table = read_table(content, what="users CSV")

    assert (table.headers, table.rows, table.numbers) == (HEADERS, ROWS, [2, 3])
    assert table.delimiter == delimiter


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["CRLF", "LF", "CR"])
def test_every_line_end_reads_the_same_table(newline: str):
    table = read_table(csv_text([HEADERS, *ROWS], newline=newline).encode(), what="users CSV")
    assert (table.headers, table.rows) == (HEADERS, ROWS)


def test_leading_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    content = ("\r\n,,\r\n" + csv_text([HEADERS, ROWS[0], ["", "", ""], ROWS[1]])).encode()

    table = read_table(content, what="users CSV")

    assert table.headers == HEADERS and table.rows == ROWS
    assert table.numbers == [4, 6]  # header on row 3, an empty row 5


def test_unnamed_columns_whose_cells_are_all_empty_are_ignored():
    content = csv_text([[*HEADERS, "", ""], [*ROWS[0], "", ""], [*ROWS[1], "", " "]]).encode()
    table = read_table(content, what="users CSV")
    assert (table.headers, table.rows) == (HEADERS, ROWS)


def test_an_unnamed_column_with_values_is_a_file_error_naming_its_position():
    content = csv_text([[HEADERS[0], "", *HEADERS[1:]], [ROWS[0][0], "x", *ROWS[0][1:]]])
    with pytest.raises(CsvFileError) as refused:
        read_table(content.encode(), what="users CSV")
    assert refused.value.message == (
        "Column 2 has no header but holds values (first on row 2). Give it the right header "
        "or delete the column."
    )


def test_headers_are_tidied_and_known_ones_matched_in_any_case():
    content = b" user id/email  (required) ,Display\xc2\xa0Name\nkim@acme.test,Kim\n"
    table = read_table(content, what="users CSV")
    assert table.headers == ["user id/email (required)", "Display Name"]
    assert known_headers(table.headers, HEADERS) == HEADERS[:2]


def test_cells_lose_exactly_the_apostrophe_an_export_put_in_front():
    content = csv_text(
        [["Name"], ["'=SUM(A1)"], ["'-2+3+cmd"], ["'+1+X"], ["'@x"], ["''=x"], ["'quoted'"]]
    )
    rows = read_table(content.encode(), what="file").rows
    assert [r[0] for r in rows] == ["=SUM(A1)", "-2+3+cmd", "+1+X", "@x", "'=x", "'quoted'"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty. Export the users CSV, edit it and upload it again."),
        (
            codecs.BOM_UTF16_LE + "Email\n".encode("utf-16-le") + b"k",
            'The file starts as UTF-16 text (Excel\'s "Unicode Text") but is cut off or '
            "damaged: it has an odd number of bytes (15). Export the users CSV again, or save "
            'it as "CSV UTF-8".',
        ),
        (
            codecs.BOM_UTF16_LE + "Email\n".encode("utf-16-le") + b"\x00\xdc",
            'The file starts as UTF-16 text (Excel\'s "Unicode Text") but is cut off or '
            "damaged: bytes 15–16 are not a character. Export the users CSV again, or save it "
            'as "CSV UTF-8".',
        ),
        (
            b"PK\x03\x04rest of a workbook",
            'This is a spreadsheet workbook (.xlsx), not a CSV file. Save it as "CSV UTF-8": in '
            'Excel, File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)"; in LibreOffice, '
            'Save As → Text CSV with character set "Unicode (UTF-8)".',
        ),
        (
            "Name,Email\nZoë Müller,zoe@acme.test\n".encode("cp1252"),
            "The file is not UTF-8: it looks like Windows-1252 (Western European, Excel's "
            'plain "CSV" on Windows) (line 2 cannot be read as UTF-8). Save it as "CSV UTF-8": '
            'in Excel, File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)"; in LibreOffice, '
            'Save As → Text CSV with character set "Unicode (UTF-8)".',
        ),
        (b"Email\n", "The file has a header row but no rows: add at least one row."),
        (
            b"Email,Name\nkim@acme.test,Kim,Lee\n",
            "Row 2 has 3 cells but the header row has 2: a cell with a separator in it is "
            "probably not quoted, or a column has no header. Export the file again from the "
            "spreadsheet.",
        ),
        (
            b"Email\n" + b"kim@acme.test\n" * (MAX_ROWS + 1),
            f"The file has {MAX_ROWS + 1} rows; the limit is {MAX_ROWS}. Split it.",
        ),
        (
            b"Email\n" + b"x" * (11 * 1024 * 1024),
            "The file is 11.0 MB; the limit is 10 MB. Split it.",
        ),
    ],
    ids=[
        "empty",
        "odd-length utf-16",
        "broken utf-16",
        "xlsx",
        "windows-1252",
        "no rows",
        "too wide",
        "too many rows",
        "too big",
    ],
)
def test_a_file_that_cannot_be_read_is_one_clear_error(content: bytes, message: str):
    with pytest.raises(CsvFileError) as refused:
        read_table(content, what="users CSV")
    assert refused.value.message == message
