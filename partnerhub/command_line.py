"""``manage.py``'s entry point: Django's, plus one clear answer for a database that is
not migrated yet (issue 9 §5) instead of a traceback from the first query."""

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


def execute(argv: Sequence[str]) -> None:
    """Run a management command; a missing table (``UndefinedTable``) ends with the
    message above and exit status 1."""
    from django.core.management import execute_from_command_line
    from django.db.utils import ProgrammingError
    from psycopg import errors

    try:
        execute_from_command_line(list(argv))
    except ProgrammingError as error:
        if not isinstance(error.__cause__, errors.UndefinedTable):
            raise
        sys.stderr.write(not_migrated_message(error))
        sys.exit(1)
