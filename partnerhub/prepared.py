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
* Errors are Django's (``IntegrityError`` …), as from Django's cursor; the statement
  is logged where Django logs queries (``CaptureQueriesContext``, DEBUG) as sent:
  its text with placeholders, the values beside it.
* Preparing needs the connection's ``prepare_threshold`` set (``OPTIONS``,
  ``partnerhub.database.PREPARE_THRESHOLD``); with None (Django's default, e.g. behind
  a pooler in transaction mode that cannot keep prepared statements) the statements
  still go this way but unprepared.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

import psycopg
from django.db import connection

from partnerhub.tenancy import schema_qualified_cursor


class PreparedCursor:
    """The part of a DB-API cursor the hot statements use: ``execute`` (prepared),
    ``fetchone``, ``fetchall``, ``rowcount``."""

    def __init__(self, django_cursor: Any) -> None:
        self._django = django_cursor
        self._cursor = psycopg.Cursor(django_cursor.cursor.connection)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        connection.validate_no_broken_transaction()
        with self._logged(sql, params), connection.wrap_database_errors:
            self._cursor.execute(sql, params, prepare=True)

    def _logged(self, sql: str, params: Sequence[Any]) -> Any:
        debug_sql = getattr(self._django, "debug_sql", None)
        if debug_sql is None:  # queries are not logged (DEBUG off, nothing capturing)
            return nullcontext()
        return debug_sql(sql, params)  # the text as sent (placeholders), values beside it

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def close(self) -> None:
        self._cursor.close()


@contextmanager
def hot_cursor(*, prepared: bool = True, schema_qualified: bool = False) -> Iterator[Any]:
    """A cursor whose statements are prepared (``PreparedCursor``); ``prepared=False``:
    Django's own cursor (for a caller whose text is fixed only in its common case, a
    SCIM POST's one row, and varies otherwise). ``schema_qualified``: the statements
    name every table's schema, so no ``SET search_path`` is sent for them
    (``tenancy.schema_qualified_cursor``)."""
    opener = schema_qualified_cursor if schema_qualified else connection.cursor
    with opener() as django_cursor:
        if not prepared:
            yield django_cursor
            return
        cursor = PreparedCursor(django_cursor)
        try:
            yield cursor
        finally:
            cursor.close()
