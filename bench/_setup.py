"""Shared start of the benchmarks: Django with a throw-away database of their own
(created like the test database, dropped at the end), never the dev or test data."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def bench_database(name: str) -> Iterator[None]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.test")
    os.environ["PARTNERHUB_TEST_DB"] = f"bench_{name}"
    import django

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        from django.db import connection

        connection.set_schema_to_public()
        teardown_databases(config, verbosity=0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
