"""``manage.py``'s entry point: Django's, plus one clear answer for a database that is
not migrated yet (issue 9 §5), or that cannot be reached (``DATABASE_URL`` naming a
database that does not exist, a server that is down), instead of a traceback."""

from __future__ import annotations

import sys
from collections.abc import Sequence

MIGRATE = "./dev migrate_schemas (python manage.py migrate_schemas)"


def not_migrated_message(error: BaseException) -> str:
    """What to tell whoever ran a command on a database without our tables."""
    detail = str(error.__cause__ or error).splitlines()[0]
    return (
        f"The database is not migrated yet ({detail}). Run {MIGRATE} first, "
        "then run this command again.\n"
    )


def unreachable_message(error: BaseException, database: dict) -> str:
    """What to tell whoever ran a command when the first connection failed."""
    detail = " ".join(str(error.__cause__ or error).split())
    where = f"{database.get('NAME')} on {database.get('HOST') or 'localhost'}"
    if database.get("PORT"):
        where += f":{database['PORT']}"
    return (
        f"Cannot connect to the database {where} ({detail}). Check DATABASE_URL; the "
        "database must exist (create it with createdb or CREATE DATABASE), then run this "
        "command again.\n"
    )


def execute(argv: Sequence[str]) -> None:
    """Run a management command; a missing table (``UndefinedTable``) or a first
    connection that fails ends with one of the messages above and exit status 1."""
    from django.core.management import execute_from_command_line
    from django.db import connections
    from django.db.utils import OperationalError, ProgrammingError
    from psycopg import errors

    try:
        execute_from_command_line(list(argv))
    except ProgrammingError as error:
        if not isinstance(error.__cause__, errors.UndefinedTable):
            raise
        sys.stderr.write(not_migrated_message(error))
        sys.exit(1)
    except OperationalError as error:
        if connections["default"].connection is not None:
            raise  # connected: a failure of the command's own work
        sys.stderr.write(unreachable_message(error, connections["default"].settings_dict))
        sys.exit(1)
