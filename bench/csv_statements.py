"""Where a user CSV import spends CPU (issue #12, SPEC §9): figures that do not depend
on how busy the machine is, unlike ``bench/csv_import.py``'s seconds. Sets up the org
as ``csv_import`` does, then imports ``--rows`` new users and updates them all, and
prints for each import the CPU of this process (Python: validation, apply) and of its
PostgreSQL backend (read from ``/proc/<pid>/schedstat``: the embedded server is local),
the statements sent, and with ``--by-statement`` the backend CPU of each kind of
statement (the rest of the apply's backend CPU is its COMMIT: deferred foreign-key
checks). ``--profile`` adds cProfile's top functions.

    .venv/bin/python bench/csv_statements.py [--rows 20000] [--by-statement] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

from _setup import bench_database
from csv_import import add_numbers, make_csv, set_up
from scim_statements import shape


def backend_cpu_reader(connection):  # type: ignore[no-untyped-def]
    """A function giving the CPU seconds the PostgreSQL backend of ``connection`` has
    used so far (nanoseconds in ``/proc/<pid>/schedstat``, not 10 ms ticks)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    path = Path(f"/proc/{pid}/schedstat")

    def cpu() -> float:
        return int(path.read_text().split()[0]) / 1e9

    return cpu


@contextmanager
def statements_timed(backend, by_kind: dict[str, list[float]]):  # type: ignore[no-untyped-def]
    """Every statement Django's debug cursor sees (a COPY included: ``partnerhub.bulk``
    logs it), with the backend CPU it took, by kind."""
    from django.db.backends import utils

    original = utils.CursorDebugWrapper.debug_sql

    @contextmanager
    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):  # type: ignore[no-untyped-def]
        before = backend()
        with original(self, sql, params, use_last_executed_query, many):
            yield
        by_kind[shape(sql or "")].append(backend() - before)

    utils.CursorDebugWrapper.debug_sql = debug_sql
    try:
        yield
    finally:
        utils.CursorDebugWrapper.debug_sql = original


def run_import(label: str, content: bytes, actor, args) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from licensing.csv import imports

    backend = backend_cpu_reader(connection)
    spent = {"apply_cpu": 0.0, "apply_pg": 0.0, "apply_wall": 0.0}
    apply_plan = imports.apply_plan

    def timed_apply(*a, **kw):  # type: ignore[no-untyped-def]
        cpu, pg, wall = time.process_time(), backend(), time.perf_counter()
        try:
            return apply_plan(*a, **kw)
        finally:
            spent["apply_wall"] += time.perf_counter() - wall
            spent["apply_cpu"] += time.process_time() - cpu
            spent["apply_pg"] += backend() - pg

    imports.apply_plan = timed_apply
    by_kind: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    counted = Counter()
    connection.queries_log.clear()
    force = connection.force_debug_cursor
    connection.force_debug_cursor = args.by_statement
    started, cpu, pg = time.perf_counter(), time.process_time(), backend()
    try:
        with statements_timed(backend, by_kind) if args.by_statement else _nothing():
            if profiler:
                profiler.enable()
            result = imports.import_users(content=content, actor=actor)
            if profiler:
                profiler.disable()
    finally:
        imports.apply_plan = apply_plan
        connection.force_debug_cursor = force
    wall, cpu, pg = time.perf_counter() - started, time.process_time() - cpu, backend() - pg
    assert result.applied, result.plan.errors[:5]
    counted.update({k: len(v) for k, v in by_kind.items()})
    print(
        f"{label}: wall {wall:.2f} s | Python CPU {cpu:.3f} s (validation "
        f"{cpu - spent['apply_cpu']:.3f}, apply {spent['apply_cpu']:.3f}) | PostgreSQL CPU "
        f"{pg:.3f} s (apply {spent['apply_pg']:.3f}) | apply wall {spent['apply_wall']:.3f} s"
    )
    if args.by_statement:
        statements = sum(sum(v) for v in by_kind.values())
        print(f"  {sum(counted.values())} statements; backend CPU by kind (s, count):")
        for kind, times in sorted(by_kind.items(), key=lambda kv: -sum(kv[1])):
            print(f"    {sum(times):6.3f}  {len(times):4d}  {kind}")
        print(f"    {pg - statements:6.3f}        the rest (COMMIT: deferred checks)")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


@contextmanager
def _nothing():  # type: ignore[no-untyped-def]
    yield


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--by-statement", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    with bench_database("csv_statements"):
        from licensing.csv import columns as col
        from partnerhub.tenancy import in_org

        org, actor = set_up(args.rows)
        with in_org(org):
            add_numbers(args.rows)
            headers = col.export_headers(col.package_lines())
            warm = make_csv(headers, 50, offset=10 * args.rows)
            run_import("warm-up (50 creates)", warm, actor, argparse.Namespace(
                by_statement=False, profile=False))  # fmt: skip
            run_import("creates", make_csv(headers, args.rows), actor, args)
            run_import("updates", make_csv(headers, args.rows, name="Renamed"), actor, args)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
