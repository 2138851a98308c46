"""The one CSV writer (SPEC §4): every CSV the product writes — exports, error
reports, failure reports, the customer list, the audit log — is written here.

* every cell is spreadsheet-safe (``partnerhub.spreadsheets``), cells that came from
  outside (uploaded rows echoed in error reports, directory feeds) included;
* files are UTF-8 with a BOM, so that Excel reads ``Bjørg`` as written (downloads and
  ``-o FILE`` of the export commands; the importer reads the BOM back);
* a download carries a file name that says what and whose it is, and
  ``Cache-Control: no-store`` (exports hold personal data).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from partnerhub.spreadsheets import spreadsheet_safe

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def _safe(row: Iterable[object]) -> list[str]:
    return [spreadsheet_safe(value) for value in row]


def write_csv(
    stream: _Writable, *, headers: Sequence[object], rows: Iterable[Sequence[object]]
) -> None:
    """Write the header row and the rows, every cell spreadsheet-safe."""
    writer = csv.writer(stream)
    writer.writerow(_safe(headers))
    writer.writerows(_safe(row) for row in rows)


class _Line:
    """A "stream" whose ``write`` hands the formatted line back (csv.writer's result)."""

    def write(self, text: str, /) -> str:
        return text


STREAM_ROWS_PER_CHUNK = 500


def csv_chunks(*, headers: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV file (BOM first) as UTF-8 chunks of ``STREAM_ROWS_PER_CHUNK`` rows,
    written as ``rows`` is consumed: memory stays flat however many rows there are."""
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow(_safe(headers))).encode("utf-8")
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow(_safe(row)))
        if len(lines) == STREAM_ROWS_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def csv_text(*, headers: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole CSV as text: what exports return and reports store. The BOM is added
    where text becomes a file (``csv_download``, ``csv_file_bytes``)."""
    out = io.StringIO()
    write_csv(out, headers=headers, rows=rows)
    return out.getvalue()


def download_name(what: str, *, owner: str | None = None) -> str:
    """``acme-users-2026-11-30.csv``: the org (or ``owner``), what, today's date."""
    if owner is None:
        owner = getattr(getattr(connection, "tenant", None), "slug", "") or ""
        owner = "" if owner == "public" else owner
    parts = [slugify(owner), slugify(what), timezone.localdate().isoformat()]
    return "-".join(p for p in parts if p) + ".csv"


def _download_headers(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"


def csv_file_bytes(text: str) -> bytes:
    """What a CSV file holds: UTF-8 with a BOM (Excel then reads non-ASCII names)."""
    return (text if text.startswith(BOM) else BOM + text).encode("utf-8")


def csv_stream_download(
    *, headers: Sequence[object], rows: Iterable[Sequence[object]], filename: str
) -> StreamingHttpResponse:
    """A CSV download written while it is sent (``csv_chunks``), for exports with no
    cap: pass ``rows`` as a generator over ``queryset.iterator()``. Same file as
    ``csv_download`` (BOM, spreadsheet-safe cells, name, no-store)."""
    response = StreamingHttpResponse(
        csv_chunks(headers=headers, rows=rows), content_type=CONTENT_TYPE
    )
    _download_headers(response, filename)
    return response


def csv_download(text: str, *, filename: str) -> HttpResponse:
    """A CSV built by ``csv_text`` (or stored from it) as a download."""
    response = HttpResponse(csv_file_bytes(text), content_type=CONTENT_TYPE)
    _download_headers(response, filename)
    return response
