"""User CSV import at scale (SPEC §9): 20,000 rows validated and applied, against the
same django-import-export Resource imported row by row with library defaults.

    .venv/bin/python bench/csv_import.py [--rows 20000] [--baseline-rows 500]

The baseline is slow, so it runs on a subset and its rate is extrapolated (said so).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import resource
import time
import tracemalloc
from functools import partial

from _setup import bench_database

PACKAGES = [("Webex Meetings", 0.5), ("Webex Calling", 0.3), ("Webex Suite", 0.2)]


def make_csv(
    headers: list[str],
    n: int,
    *,
    bad_every: int = 0,
    name: str = "User",
    offset: int = 0,
    calling: str = "extension",
) -> bytes:
    """Half the rows are calling users in location HQ: ``calling`` says what their
    calling cells hold — ``extension`` (10000 + i), ``number`` (a new extension and a
    pre-provisioned number), or ``none`` (moved to Webex Meetings: calling removed)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, restval="")
    writer.writeheader()
    for i in range(offset, offset + n):
        share, package = i % 10, "Webex Meetings"
        package = "Webex Meetings" if share < 5 else "Webex Calling" if share < 8 else "Webex Suite"
        row = {
            "User ID/Email (Required)": f"user{i}@bench.example", "First Name": name, "Last Name": f"N{i}",
            "Jabber Calling": "FALSE", "Jabber with Webex Teams": "TRUE",
            "Preferred Webex Site": "bench.webex.com", f"{package} [Sub-1]": "TRUE",
        }  # fmt: skip
        if package != "Webex Meetings" and calling == "none":
            row[f"{package} [Sub-1]"], row["Webex Meetings [Sub-1]"] = "FALSE", "TRUE"
        elif package != "Webex Meetings":
            row.update({"Location": "HQ", "Extension": str(10000 + i)})
            if calling == "number":
                row.update({"Extension": str(50000 + i), "Phone Number": f"+4722{i:06d}"})
        if bad_every and i % bad_every == 0:
            row["Jabber Calling"] = "maybe"
        writer.writerow(row)
    return out.getvalue().encode()


def timed(label: str, rows: int, fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.2f} s {rows / seconds:10.0f} rows/s")
    return result, seconds


def peak_mb() -> float:
    """The process's peak resident set so far (Django and the database set-up included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def set_up(n: int):  # type: ignore[no-untyped-def]
    """A partner, an org with room for every row, location HQ with ``n`` numbers."""
    from customers.services import SubscriptionSpec, ensure_public_tenant, provision_customer
    from partnerhub.audit.services import Actor
    from partnerhub.models import Partner

    ensure_public_tenant()
    actor = Actor.system("bench")
    big = {c: 200_000 for c in ("webex_meetings", "webex_calling", "webex_suite")}
    partner = Partner.objects.create(name="Bench", slug="bench")
    org = provision_customer(partner=partner, name="Bench", slug="bench-org", admin_email="a@bench.example",
                             actor=actor, subscriptions=[SubscriptionSpec("Sub-1", big)])  # fmt: skip
    return org, actor


def add_numbers(n: int) -> None:
    from calling.models import Location, PhoneNumber

    hq = Location.objects.create(name="HQ", country="NO", is_default=True)
    PhoneNumber.objects.bulk_create(
        PhoneNumber(e164=f"+4722{i:06d}", location=hq) for i in range(n)
    )  # numbers pre-provisioned for the calling variant


def bench_imports(n: int, headers: list[str], actor) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Validation, creates and updates; each import's result is dropped before the
    next one starts (the bench keeps no plan alive that the import would not)."""
    from licensing.csv.imports import import_users

    run = partial(import_users, actor=actor)
    result, _ = timed(
        f"validate, ~2% bad rows ({n})", n, partial(run, content=make_csv(headers, n, bad_every=50))
    )
    print(f"  → {len(result.plan.errors)} row errors reported, applied: {result.applied}")
    del result
    result, create_s = timed(
        f"validate + apply, creates ({n})", n, partial(run, content=make_csv(headers, n))
    )
    assert result.applied, result.plan.errors[:5]
    del result
    result, update_s = timed(
        f"validate + apply, updates ({n})",
        n,
        partial(run, content=make_csv(headers, n, name="Renamed")),
    )
    del result
    gc.collect()
    print(f"peak RSS of the whole process so far (Django included): {peak_mb():.0f} MB")
    again = make_csv(headers, n, name="Again")
    tracemalloc.start()
    import_users(content=again, actor=actor)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak memory allocated by one {n}-row import (validate + apply): {traced / 2**20:.0f} MB"
    )
    return create_s, update_s


def bench_calling(n: int, headers: list[str], actor) -> None:  # type: ignore[no-untyped-def]
    from licensing.csv.imports import import_users

    calling_rows = sum(1 for i in range(n) if i % 10 >= 5)
    numbered = make_csv(headers, n, name="Again", calling="number")
    result, _ = timed(
        f"calling: {calling_rows} new extensions + numbers ({n})",
        n,
        lambda: import_users(content=numbered, actor=actor),
    )
    assert result.applied, result.plan.errors[:5]
    dropped = make_csv(headers, n, name="Again", calling="none")
    result, _ = timed(
        f"calling: {calling_rows} removed, snapshots ({n})",
        n,
        lambda: import_users(content=dropped, actor=actor, confirm_calling_loss=True),
    )
    assert result.applied, result.plan.errors[:5]
    print(f"  → calling data of {len(result.plan.calling.changed())} users removed")


def bench_baseline(n: int, m: int, headers: list[str], actor) -> float:  # type: ignore[no-untyped-def]
    """The same Resource imported row by row with django-import-export's defaults, on
    ``m`` rows; returns its time per row."""
    import tablib

    from licensing.csv.resources import UserResource

    dataset = tablib.Dataset().load(make_csv(headers, m, offset=n).decode(), format="csv")
    res = UserResource(actor=actor)
    _, base_s = timed(
        f"library default import_data, creates ({m})", m, lambda: res.import_data(dataset)
    )
    print(f"library default extrapolated to {n} rows: {base_s / m * n:.1f} s")
    return base_s / m


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=500)
    args = parser.parse_args()
    with bench_database("csv_import"):
        from licensing.csv import columns as col
        from partnerhub.tenancy import in_org

        n = args.rows
        org, actor = set_up(n)
        print(
            f"user CSV import, {n} rows (targets: creates validated + applied ≤ 5 s, updates ≤ 3 s, "
            "≥ 100× the library default, ≤ 200 MB)"
        )
        with in_org(org):
            add_numbers(n)
            headers = col.export_headers(col.package_lines())
            create_s, update_s = bench_imports(n, headers, actor)
            bench_calling(n, headers, actor)
            per_row = bench_baseline(n, args.baseline_rows, headers, actor)
            print(
                f"speed-up, creates: {per_row * n / create_s:.1f}×   updates: {per_row * n / update_s:.1f}×"
            )


if __name__ == "__main__":
    main()
