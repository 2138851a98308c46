"""Prepared statements for the few statements of fixed text that every SCIM ``POST
/Users`` sends (issue #13): PostgreSQL parses and plans such a statement once per
connection instead of once per request.

Django binds parameters on the client (psycopg's ``ClientCursor``: the values are
written into the text, so no two requests send the same statement and none can be
prepared). ``hot_cursor()`` sends its statements through a psycopg server-binding
cursor on the same connection, transaction and ``search_path`` instead, with
``prepare=True``; everything else keeps Django's cursor. A global
``server_side_binding`` was measured too: less PostgreSQL CPU, but more Python in
every ORM query; here only the chosen statements pay psycopg's server-side binding.

* The statement must have fixed text (its values as parameters, arrays as one
  parameter): each text is prepared once per connection (psycopg keeps the 100 most
  recent, ``prepared_max``). A changed ``search_path`` (another org) makes PostgreSQL
  parse it again by itself, so a prepared statement never reads another org's tables.
* The org's ``search_path`` is set the way every Django cursor sets it (django-tenants,
  ``TENANT_LIMIT_SET_CALLS``: once per connection and org switch, forgotten on a
  rollback that undoes it); a ``hot_cursor`` opens a Django cursor for that only when
  the path recorded as set is not the connection's org's (a new connection, a switch,
  a rollback), so most of them open none (a sixth of a POST's Python went to opening
  and closing one per statement). The psycopg cursors are kept per thread and
  connection and reused, a nested ``hot_cursor`` getting one of its own.
* Errors are Django's (``IntegrityError`` …), as from Django's cursor; the statement
  is logged where Django logs queries (``CaptureQueriesContext``, DEBUG) as sent:
  its text with placeholders, the values beside it.
* Preparing needs the connection's ``prepare_threshold`` set (``OPTIONS``,
  ``partnerhub.database.PREPARE_THRESHOLD``); with None (Django's default, e.g. behind
  a pooler in transaction mode that cannot keep prepared statements) the statements
  still go this way but unprepared.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorDebugWrapper
from django.utils.asyncio import async_unsafe

from partnerhub.tenancy import schema_qualified_cursor


class PreparedCursor:
    """The part of a DB-API cursor the hot statements use: ``execute`` (prepared),
    ``fetchone``, ``fetchall``, ``rowcount``."""

    def __init__(self, db: Any, cursor: psycopg.Cursor) -> None:
        self._db = db  # the thread's Django connection (a DatabaseWrapper)
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        db = self._db
        db.validate_no_broken_transaction()
        if db.queries_logged:  # DEBUG, CaptureQueriesContext: the text as sent, values beside
            with CursorDebugWrapper(self._cursor, db).debug_sql(sql, params):
                self._execute(sql, params)
        else:
            self._execute(sql, params)

    def _execute(self, sql: str, params: Sequence[Any]) -> None:
        with self._db.wrap_database_errors:
            self._cursor.execute(sql, params, prepare=True)

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount


class _Spare(threading.local):
    """This thread's idle psycopg cursors, all on the connection ``raw``."""

    raw: Any = None
    cursors: list[psycopg.Cursor]


_spare = _Spare()


def hot_cursor(
    *, prepared: bool = True, schema_qualified: bool = False
) -> AbstractContextManager[Any]:
    """A cursor whose statements are prepared (``PreparedCursor``), in the connection's
    org (its ``search_path`` set if it is not yet); ``prepared=False``: Django's own
    cursor (for a caller whose text is fixed only in its common case, a SCIM POST's one
    row, and varies otherwise). ``schema_qualified``: the statements name every table's
    schema, so no ``SET search_path`` is sent for them
    (``tenancy.schema_qualified_cursor``)."""
    if not prepared:
        return _django_cursor(schema_qualified)
    return _HotCursor(schema_qualified)


class _HotCursor:
    """``hot_cursor()``'s context manager: a spare psycopg cursor of this thread's
    connection while the block runs (a new one when none is idle), given back after.
    A server-binding ``psycopg.Cursor``, whatever the connection's ``cursor_factory``
    (Django's is the client-binding one)."""

    __slots__ = ("_schema_qualified", "_raw", "_cursor")

    def __init__(self, schema_qualified: bool) -> None:
        self._schema_qualified = schema_qualified

    @async_unsafe
    def __enter__(self) -> PreparedCursor:
        db = connections[DEFAULT_DB_ALIAS]
        raw = self._raw = _connection_in_org(db, self._schema_qualified)
        if _spare.raw is not raw:  # a new connection: the old one's cursors go
            _spare.raw, _spare.cursors = raw, []
        cursor = self._cursor = _spare.cursors.pop() if _spare.cursors else psycopg.Cursor(raw)
        return PreparedCursor(db, cursor)

    def __exit__(self, *exc_info: object) -> None:
        if _spare.raw is self._raw and not self._cursor.closed:
            _spare.cursors.append(self._cursor)


def _connection_in_org(db: Any, schema_qualified: bool) -> psycopg.Connection:
    """The psycopg connection of ``db``, open and on ``db``'s org: a Django cursor is
    opened (and closed) when the connection is not open or its ``search_path`` is not
    the org's, so the path is set exactly as for any Django statement."""
    db.close_if_health_check_failed()  # as opening a Django cursor does
    if db.connection is None or not (schema_qualified or _path_is_set(db)):
        if not schema_qualified:
            db.search_path_set_schemas = None  # another org's, if any: set it anew
        with _django_cursor(schema_qualified):
            pass
    db.validate_thread_sharing()
    return db.connection


def _path_is_set(db: Any) -> bool:
    """Whether django-tenants recorded a ``search_path`` set for ``db``'s current org
    (it forgets it on every org switch, rollback and close)."""
    paths = db.search_path_set_schemas
    return bool(paths) and paths[0] == db.schema_name


@contextmanager
def _django_cursor(schema_qualified: bool) -> Iterator[Any]:
    opener = schema_qualified_cursor if schema_qualified else connection.cursor
    with opener() as cursor:
        yield cursor
