"""Management commands on a database that is not migrated yet (issue 9 §5)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database(db):  # type: ignore[no-untyped-def]
    """A database on the test server without a single table; its URL."""
    settings = connection.settings_dict
    name = f"unmigrated_{uuid.uuid4().hex[:8]}"
    params = {"host": settings["HOST"], "port": settings["PORT"] or None,
              "user": settings["USER"], "password": settings["PASSWORD"] or None}  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    host = quote(settings["HOST"], safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    yield f"postgres://{settings['USER']}{password}@{host}{port}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_command_on_an_unmigrated_database_says_which_command_to_run(empty_database):
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "create_partner", "--name", "East", "--slug", "east",
         "--admin-email", "eve@east.test"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": empty_database,
             "DJANGO_SETTINGS_MODULE": "partnerhub.settings.test"},
    )  # fmt: skip

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("The database is not migrated yet (relation ")
    assert result.stderr.endswith(
        "Run ./dev migrate_schemas (python manage.py migrate_schemas) first, "
        "then run this command again.\n"
    )


def test_a_command_on_a_database_that_does_not_exist_says_so_without_a_traceback(db):
    settings = connection.settings_dict
    name = f"missing_{uuid.uuid4().hex[:8]}"
    host = quote(settings["HOST"], safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate_schemas"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": f"postgres://{settings['USER']}{password}@{host}{port}/{name}",
             "DJANGO_SETTINGS_MODULE": "partnerhub.settings.test"},
    )  # fmt: skip

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Cannot connect to the database {name} on ")
    assert f'database "{name}" does not exist' in result.stderr
    assert result.stderr.endswith(
        "Check DATABASE_URL; the database must exist (create it with createdb or CREATE "
        "DATABASE), then run this command again.\n"
    )
