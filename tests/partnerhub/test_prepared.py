"""Prepared statements for the hot statements of fixed text (partnerhub/prepared.py)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext

from licensing.models import OrgUser
from partnerhub.prepared import PreparedCursor, hot_cursor
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db

COUNT_USERS = f"SELECT count(*) FROM {OrgUser._meta.db_table} WHERE email <> %s"  # noqa: S608


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_hot_statement_is_prepared_once_per_connection(acme):
    for _ in range(3):
        with hot_cursor() as cursor:
            cursor.execute(COUNT_USERS, ["nobody@example.com"])
            assert cursor.fetchone() == (OrgUser.objects.count(),)
    sent = COUNT_USERS.replace("%s", "$1")
    assert _prepared_statements().count(sent) == 1


def test_a_prepared_statement_reads_the_tables_of_the_org_it_runs_in(world):
    with in_schema(world.acme):
        OrgUser.objects.create(email="only-in-acme@acme.test")
        acme_count = OrgUser.objects.count()
    with in_schema(world.globex):
        globex_count = OrgUser.objects.count()
    assert acme_count != globex_count

    counts = []
    for org in (world.acme, world.globex, world.acme):
        with in_schema(org), hot_cursor() as cursor:
            cursor.execute(COUNT_USERS, ["nobody@example.com"])
            counts.append(cursor.fetchone()[0])

    assert counts == [acme_count, globex_count, acme_count]


def test_a_prepared_statement_raises_djangos_errors_and_is_logged_like_any_query(acme):
    OrgUser.objects.create(email="kim@acme.test")
    insert = f"INSERT INTO {OrgUser._meta.db_table} (email) VALUES (%s)"  # noqa: S608
    with CaptureQueriesContext(connection) as queries, pytest.raises(IntegrityError):
        with transaction.atomic(), hot_cursor() as cursor:
            assert isinstance(cursor, PreparedCursor)
            cursor.execute(insert, ["kim@acme.test"])
    assert insert in [q["sql"] for q in queries]


def test_a_statement_of_varying_text_goes_through_djangos_own_cursor(acme):
    with hot_cursor(prepared=False) as cursor:
        assert not isinstance(cursor, PreparedCursor)
        cursor.execute(COUNT_USERS, ["x@example.com"])
    assert COUNT_USERS.replace("%s", "$1") not in _prepared_statements()


CURRENT_SCHEMA = "SELECT current_schema()"


def _hot_schema() -> str:
    with hot_cursor() as cursor:
        cursor.execute(CURRENT_SCHEMA)
        return cursor.fetchone()[0]


def _sets(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SET")]


def test_hot_statements_of_one_org_set_its_search_path_once_and_follow_every_switch(world):
    with CaptureQueriesContext(connection) as queries:
        with in_schema(world.acme):
            assert [_hot_schema() for _ in range(3)] == ["org_acme"] * 3
            with in_schema(world.globex):
                assert _hot_schema() == "org_globex"
            assert _hot_schema() == "org_acme"
    assert _sets(queries) == [
        'SET search_path = "org_acme","public"',
        'SET search_path = "org_globex","public"',
        'SET search_path = "org_acme","public"',
    ]


def test_a_hot_statement_after_a_rolled_back_savepoint_runs_in_the_connections_org(world):
    # ROLLBACK TO SAVEPOINT undoes a SET sent inside it: the database is back on the
    # org before it, while the connection is (and stays) on the org switched to.
    connection.set_tenant(world.globex)
    assert _hot_schema() == "org_globex"
    try:
        with transaction.atomic():  # a savepoint: the test runs in a transaction
            connection.set_tenant(world.acme)
            assert _hot_schema() == "org_acme"
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert connection.tenant == world.acme
    assert _hot_schema() == "org_acme"


def test_a_hot_statement_never_trusts_a_search_path_recorded_for_another_org(world):
    connection.set_tenant(world.globex)
    assert _hot_schema() == "org_globex"
    connection.schema_name = world.acme.schema_name  # not through set_tenant: path kept
    assert connection.search_path_set_schemas == ["org_globex", "public"]
    assert _hot_schema() == "org_acme"


def test_a_hot_cursor_opened_inside_another_leaves_the_outer_ones_rows(acme):
    with hot_cursor() as outer:
        outer.execute("SELECT n FROM generate_series(1, %s) AS n", [3])
        assert _hot_schema() == "org_acme"
        assert outer.fetchall() == [(1,), (2,), (3,)]


READ_THINGS = "SELECT id, note, current_schema() FROM things WHERE id > %s ORDER BY id"


def _org_schema(name: str, note: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {name}")
        cursor.execute(f"CREATE TABLE {name}.things (id serial PRIMARY KEY, note text)")
        cursor.execute(f"INSERT INTO {name}.things (note) VALUES (%s)", [note])  # noqa: S608


def _read_things_in(schema: str) -> list[tuple]:
    connection.set_schema(schema)
    with hot_cursor() as cursor:
        cursor.execute(READ_THINGS, [0])
        return cursor.fetchall()


def test_a_prepared_statement_follows_its_org_through_schemas_dropped_made_and_altered(db):
    # given: one statement prepared on this connection, two orgs' schemas
    _org_schema("qa_org_a", "a")
    _org_schema("qa_org_b", "b")
    assert _read_things_in("qa_org_a") == [(1, "a", "qa_org_a")]
    assert _read_things_in("qa_org_b") == [(1, "b", "qa_org_b")]

    # when: org b's schema goes and comes back; a migration changes org a's table
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA qa_org_b CASCADE")
    with pytest.raises(ProgrammingError), transaction.atomic():
        _read_things_in("qa_org_b")  # never org a's table
    _org_schema("qa_org_b", "b again")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE qa_org_a.things ADD COLUMN extra int DEFAULT 7")
        cursor.execute("ALTER TABLE qa_org_a.things DROP COLUMN note")
        cursor.execute("ALTER TABLE qa_org_a.things ADD COLUMN note text DEFAULT 'a again'")

    # then: each read is of the org it runs in, as the tables are now
    assert _read_things_in("qa_org_b") == [(1, "b again", "qa_org_b")]
    assert _read_things_in("qa_org_a") == [(1, "a again", "qa_org_a")]
    assert _read_things_in("qa_org_b") == [(1, "b again", "qa_org_b")]
    connection.set_schema_to_public()
