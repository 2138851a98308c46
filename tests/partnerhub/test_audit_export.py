"""The audit log's CSV export (issue #11 item 7): streamed through the one CSV writer,
every matching entry — no cap — on the org and the partner side."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from partnerhub.audit.models import AuditEntry
from partnerhub.csvfiles.writing import STREAM_ROWS_PER_CHUNK, csv_chunks
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db

# More rows than any capped export ever gave (the old page lists stopped at 5,000).
MANY = 12_001


def _rows(response: StreamingHttpResponse) -> tuple[list[list[str]], int]:
    chunks = list(response.streaming_content)
    text = b"".join(chunks).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text))), len(chunks)


def _entries(count: int, **fields: object) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action="user.updated", actor_email="ann@acme.test", target_repr=f"user {n}",
            before={"status": "active"}, after={"status": "inactive"}, **fields,
        )
        for n in range(count)
    )  # fmt: skip


def test_org_audit_export_streams_every_entry(org_client, world):
    with in_schema(world.acme):
        _entries(MANY)
    response = org_client(world.acme, world.ann).get("/audit/export.csv?action=user.updated")

    rows, chunks = _rows(response)

    assert response.streaming and response["Cache-Control"] == "no-store"
    assert len(rows) == MANY + 1  # the header, one row per changed field of each entry
    assert {row[4] for row in rows[1:]} == {f"user {n}" for n in range(MANY)}
    assert rows[1][5:] == ["status", "active", "inactive"]
    assert chunks > MANY // STREAM_ROWS_PER_CHUNK  # written while sent, not in one piece


def test_partner_audit_export_streams_every_entry(partner_client, world):
    _entries(
        MANY, customer_schema="public", target_type="customers.Customer",
        target_id=str(world.acme.pk),
    )  # fmt: skip
    response = partner_client(world.alice).get("/partner/audit/export.csv?action=user.updated")

    rows, _ = _rows(response)

    assert response.streaming
    assert len(rows) == MANY + 1


def test_streamed_csv_is_the_writers_file_bom_and_escaped_cells():
    chunks = list(csv_chunks(headers=["a", "b"], rows=[["=1+1", "Bjørg"]] * 3))

    assert chunks[0] == "\ufeffa,b\r\n".encode()
    assert b"".join(chunks[1:]).decode() == "'=1+1,Bjørg\r\n" * 3
