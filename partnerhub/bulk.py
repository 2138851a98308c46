"""Bulk statements for the tens of thousands of rows a CSV import or a directory sync
writes: PostgreSQL COPY (several times faster than INSERT batches) and ``among`` (an
``IN`` over one array parameter)."""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from itertools import chain, islice
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL
from psycopg.types.json import Jsonb

from partnerhub.prepared import hot_cursor

# Up to this many rows go as one INSERT … VALUES: one round trip, where COPY takes two
# (COPY … FROM STDIN, then the data) — a SCIM POST writes several single-row batches.
SMALL_BATCH = 20


def copy_insert(
    model: type[models.Model], field_names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows (values in ``field_names`` order) into the model's table, in the
    current schema and transaction, with COPY (or one ``INSERT … VALUES`` when there
    are at most ``SMALL_BATCH``; none: no statement). JSON fields' values are written
    as JSON. Returns the number of rows."""
    table, quoted, types, is_json = _columns(model, tuple(field_names))
    rows = iter(rows)
    first = list(islice(rows, SMALL_BATCH + 1))
    if len(first) <= SMALL_BATCH:
        return _insert_values(table, quoted, types, is_json, first)
    count = 0
    sql = f"COPY {table} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor:
        # Logged like a query where queries are logged (DEBUG, CaptureQueriesContext),
        # so a count of statements sees a COPY as it sees the INSERT of a small batch.
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, cursor.cursor.copy(sql) as copy:
            # Declared once, the column types spare psycopg choosing a dumper per value.
            copy.set_types(types)
            write = copy.write_row
            if not any(is_json):  # most tables: each row as given, no per-value work
                for row in chain(first, rows):
                    write(row)
                    count += 1
                return count
            # Only the JSON columns are touched (a list per row, not a value-by-value
            # rebuild of it: a fifth the cost for 10,000 calling profiles).
            json_at = [i for i, json in enumerate(is_json) if json]
            for row in chain(first, rows):
                values = list(row)  # a copy: the caller's row is left as given
                for i in json_at:
                    if values[i] is not None:
                        values[i] = Jsonb(values[i])
                write(values)
                count += 1
    return count


@functools.cache
def _columns(
    model: type[models.Model], field_names: tuple[str, ...]
) -> tuple[str, str, list[str], list[bool]]:
    """The quoted table, quoted column list, PostgreSQL types and JSON flags of the
    fields: schema metadata (the same in every org), worked out once per process —
    ``db_type`` of a dozen fields was a tenth of a SCIM POST's CPU."""
    model_fields = [model._meta.get_field(name) for name in field_names]
    columns = [field.column for field in model_fields]
    is_json = [isinstance(field, models.JSONField) for field in model_fields]
    types = [_pg_type(field) for field in model_fields]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    return table, quoted, types, is_json


def _insert_values(
    table: str, quoted: str, types: list[str], is_json: list[bool], rows: list[Sequence[Any]]
) -> int:
    if not rows:
        return 0
    values, params = _values(types, is_json, rows)
    with hot_cursor() as cursor:  # a few rows: fixed text for their number, prepared
        cursor.execute(f"INSERT INTO {table} ({quoted}) VALUES {values}", params)  # noqa: S608
    return len(rows)


def _values(
    types: list[str], is_json: list[bool], rows: list[Sequence[Any]]
) -> tuple[str, list[Any]]:
    """The ``VALUES`` list of ``rows`` (each cast to its column's type) and its
    parameters, JSON columns wrapped for psycopg."""
    row_sql = "(" + ", ".join(f"%s::{sql_type}" for sql_type in types) + ")"
    params = [
        Jsonb(v) if json and v is not None else v
        for row in rows
        for v, json in zip(row, is_json, strict=True)
    ]
    return ", ".join([row_sql] * len(rows)), params


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around a bulk job (an import builds
    hundreds of thousands of small containers, and each run of the collector walks
    them all again: a fifth of a 20,000-row import). Memory is still freed as usual
    by reference counting; cycles left behind are collected once resumed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_young_cycles() -> None:
    """Inside ``cyclic_gc_paused``, between two phases: free what the phase before left
    in reference cycles (a validation's working state is held by the traceback of an
    exception Django catches inside a query). One pass over the objects made since the
    pause — milliseconds — never the whole heap."""
    gc.collect(0)


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the table's own sequence, so rows written by
    ``copy_insert`` with their ids need no query to find them again."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        # Drawn together, they are nearly always one run (first, last): then no list of
        # 20,000 numbers comes back; else (other sessions drew meanwhile) all of them.
        # The sequence is looked up once (a materialised CTE): written inside nextval(),
        # its name was resolved again for every id — 90% of the draw's server time.
        cursor.execute(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
            "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 <> count(*) "
            "THEN array_agg(v ORDER BY v) END "
            "FROM (SELECT nextval(s.seq) AS v FROM s, generate_series(1, %s)) AS drawn",
            [connection.ops.quote_name(table), column, count],
        )
        first, last, scattered = cursor.fetchone()
    return list(range(first, last + 1)) if scattered is None else list(scattered)


def insert_returning_ids(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows (values in ``field_names`` order, without the primary key) and
    return their new ids, in order. Up to ``SMALL_BATCH`` rows: one ``INSERT …
    RETURNING`` (its rows come back in the order given, as Django's ``bulk_create``
    relies on); more: ids drawn with ``next_ids``, then ``copy_insert``."""
    if not rows:
        return []
    pk = model._meta.pk.name
    if len(rows) > SMALL_BATCH:
        ids = next_ids(model, len(rows))
        copy_insert(
            model, [pk, *field_names], ([i, *row] for i, row in zip(ids, rows, strict=True))
        )
        return ids
    table, quoted, types, is_json = _columns(model, tuple(field_names))
    values, params = _values(types, is_json, rows)
    with hot_cursor() as cursor:  # as _insert_values
        cursor.execute(
            f"INSERT INTO {table} ({quoted}) VALUES {values} "  # noqa: S608
            f"RETURNING {connection.ops.quote_name(model._meta.pk.column)}",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


PG_TYPE_NAMES = {
    "bigint": "int8", "integer": "int4", "smallint": "int2", "boolean": "bool",
    "timestamp with time zone": "timestamptz", "double precision": "float8",
}  # fmt: skip


def _pg_type(field: models.Field) -> str:
    """PostgreSQL's name of the column type: ``varchar(254)`` → ``varchar``."""
    field = field.target_field if field.is_relation else field
    declared = field.db_type(connection) or "text"
    name = declared.split("(")[0].strip()
    return PG_TYPE_NAMES.get(name, name)


def pg_array(values: Iterable[Any]) -> str:
    """An array parameter as one text in PostgreSQL's array syntax (``{1,"a b",NULL}``),
    cast in the statement (``%s::bigint[]``): a list costs psycopg a Python call per
    element to dump (a fifth of an import's Python time), a text one C call. Elements:
    None (NULL), bool, int, or anything whose ``str`` the column type reads (str,
    datetime, date), quoted and escaped."""
    values = values if type(values) is list else list(values)
    kinds = set(map(type, values))
    if kinds == {int}:  # ids: no element needs quoting (a third faster)
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {str}:  # e-mails, codes: one pair of quotes each unless one needs escaping
        joined = '","'.join(values)
        if "\\" not in joined and joined.count('"') == 2 * (len(values) - 1):
            return '{"' + joined + '"}'
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "t" if value else "f"
    if type(value) is int:
        return str(value)
    text = value if isinstance(value, str) else str(value)  # str enums: their value
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text + '"'


def among(values: Iterable[Any], sql_type: str = "bigint") -> RawSQL:
    """``field__in=among(ids)``: one array parameter rather than one placeholder per
    value (a query with 20,000 placeholders takes psycopg seconds to prepare)."""
    return RawSQL(f"SELECT unnest(%s::{sql_type}[])", (pg_array(values),))  # noqa: S611 - our type


def update_from_arrays(
    table: str, columns: dict[str, tuple[str, list[Any]]], *, null_keeps: bool = False
) -> None:
    """``UPDATE table … FROM unnest(arrays)``: one statement and one parameter per column
    whatever the number of rows (Django's bulk_update builds a CASE per column and is
    far slower). ``columns``: name -> (SQL type, values); the first is the key.
    ``null_keeps``: a None value leaves that row's column as it is (for NOT NULL
    columns only), so callers need not read the rows first."""
    names = list(columns)
    arrays = ", ".join(f"%s::{sql_type}[]" for sql_type, _ in columns.values())
    if null_keeps:
        sets = ", ".join(f"{name} = COALESCE(v.{name}, t.{name})" for name in names[1:])
    else:
        sets = ", ".join(f"{name} = v.{name}" for name in names[1:])
    sql = (
        f"UPDATE {table} AS t SET {sets} FROM unnest({arrays}) "  # noqa: S608 - our names
        f"AS v({', '.join(names)}) WHERE t.{names[0]} = v.{names[0]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pg_array(values) for _, values in columns.values()])


def update_from_values(table: str, rows: list[tuple], columns: list[str], types: list[str]) -> None:
    """``update_from_arrays`` for rows given as tuples: ``columns[0]`` is the id."""
    if not rows:
        return
    update_from_arrays(
        table,
        {
            name: (sql_type, [row[i] for row in rows])
            for i, (name, sql_type) in enumerate(zip(columns, types, strict=True))
        },
    )
