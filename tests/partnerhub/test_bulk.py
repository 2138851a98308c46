"""Bulk helpers of imports (partnerhub/bulk.py)."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.db import connection

from licensing.models import OrgUser
from partnerhub.audit.actions import AuditAction
from partnerhub.bulk import cyclic_gc_paused, next_ids, pg_array


def test_cyclic_gc_is_paused_during_a_bulk_job_and_restored_even_when_it_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("refused")
    assert gc.isenabled()


def test_a_bulk_job_inside_one_with_gc_off_leaves_it_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


TRICKY = ['a"b', "back\\slash", "comma, {brace}", "  spaced  ", "NULL", "", "ø — ✓", "it's"]


@pytest.mark.django_db
def test_an_array_parameter_sent_as_one_text_reads_back_element_for_element():
    moment = dt.datetime(2026, 11, 30, 20, 5, 1, 123456, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::varchar[], %s::bigint[], %s::boolean[], %s::timestamptz[], %s::varchar[]",
            [pg_array([*TRICKY, None]), pg_array([1, None, 2**40]), pg_array([True, False]),
             pg_array([moment]), pg_array(AuditAction.USER_CREATED for _ in range(2))],
        )  # fmt: skip
        texts, numbers, flags, moments, actions = cursor.fetchone()
    assert texts == [*TRICKY, None]
    assert numbers == [1, None, 2**40]
    assert flags == [True, False]
    assert moments == [moment]
    assert actions == ["user.created"] * 2
    assert pg_array([]) == "{}"


@pytest.mark.django_db
def test_ids_drawn_together_are_new_distinct_and_ascending_even_when_not_one_run(acme):
    first = next_ids(OrgUser, 30)
    assert first == list(range(first[0], first[0] + 30))
    with connection.cursor() as cursor:  # a sequence that skips: the ids come back one by one
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [OrgUser._meta.db_table])
        cursor.execute(f"ALTER SEQUENCE {cursor.fetchone()[0]} INCREMENT BY 3")
    scattered = next_ids(OrgUser, 30)
    assert scattered == sorted(set(scattered)) and len(scattered) == 30
    assert scattered[0] > first[-1] and scattered[1] - scattered[0] == 3


@pytest.mark.django_db
def test_ids_are_drawn_with_their_sequence_looked_up_once_not_once_per_id(acme):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        next_ids(OrgUser, 3)
    [draw] = [q["sql"] for q in captured.captured_queries if "nextval" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE, COSTS OFF) " + draw)
        plan = [line for (line,) in cursor.fetchall()]
    per_id = [line for line in plan if "nextval" in line]
    assert per_id and not any("pg_get_serial_sequence" in line for line in per_id)
    assert sum("pg_get_serial_sequence" in line for line in plan) == 1


@pytest.mark.django_db
def test_copy_writes_json_columns_as_json_and_leaves_the_callers_rows_as_given():
    from django.utils import timezone

    from partnerhub.audit.models import AuditEntry
    from partnerhub.audit.services import COLUMNS
    from partnerhub.bulk import SMALL_BATCH, copy_insert

    now = timezone.now()
    rows = [
        (now, None, "bulk@test", "", "", "x.y", "t", str(i), "r", None if i % 2 else [i], {"n": i})
        for i in range(SMALL_BATCH + 5)
    ]  # more than a small batch: COPY
    given = [list(row) for row in rows]
    assert copy_insert(AuditEntry, COLUMNS, rows) == len(rows)
    assert [list(row) for row in rows] == given
    written = AuditEntry.objects.filter(actor_email="bulk@test").order_by("id")
    assert [(e.before, e.after) for e in written] == [(row[9], row[10]) for row in rows]


@pytest.mark.django_db
def test_an_array_of_only_ids_or_only_texts_reads_back_element_for_element():
    plain = ["kim@acme.test", "", "NULL", "comma, {brace}", "ø — ✓"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[]",
            [pg_array(iter([3, 1, 2**40])), pg_array(plain), pg_array(TRICKY), pg_array(["x"])],
        )
        assert cursor.fetchone() == ([3, 1, 2**40], plain, TRICKY, ["x"])
