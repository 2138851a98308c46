"""Workspace CSV import at scale (issue #4 item 6, SPEC §9): 20,000 new workspaces with
calling over 50 locations (numbers pre-provisioned), the unchanged export imported
again, then 20,000 licenses moved to another subscription — against the row-by-row
path it replaces (``calling.workspaces.services`` called per row, one savepoint each),
measured in the same run on a sample and scaled.

    .venv/bin/python bench/workspace_csv.py [--rows 20000] [--baseline-rows 300]
"""

from __future__ import annotations

import argparse
import csv
import io
import time

from _setup import bench_database

LOCATIONS = 50


def make_csv(headers: list[str], n: int, *, offset: int = 0) -> bytes:
    """New workspaces with calling on Sub-1: a number and an extension each, spread
    over the locations (workspace i is in location i % 50 and takes its numbers)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, restval="")
    writer.writeheader()
    for i in range(offset, offset + n):
        writer.writerow(
            {
                headers[0]: f"Room {i:05d}",
                "Location": f"Site {i % LOCATIONS:02d}",
                "Phone Number": number(i),
                "Extension": str(10000 + i),
                "Workspace Calling [Sub-1]": "TRUE",
            }
        )
    return out.getvalue().encode()


def number(i: int) -> str:
    return f"+4722{i:06d}"


def moved(export: str) -> bytes:
    """The export with every license moved from Sub-1 to Sub-2."""
    rows = list(csv.DictReader(io.StringIO(export)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        row["Workspace Calling [Sub-1]"], row["Workspace Calling [Sub-2]"] = "FALSE", "TRUE"
        writer.writerow(row)
    return out.getvalue().encode()


def timed(label: str, rows: int, fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<52} {seconds:8.2f} s {rows / seconds:10.0f} rows/s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=300)
    args = parser.parse_args()
    n, m = args.rows, args.baseline_rows
    with bench_database("workspace_csv"):
        from django.db import transaction

        from calling.models import CallingProfile, Location, PhoneNumber, Workspace
        from calling.workspaces import services as service
        from calling.workspaces.csv import columns as col
        from calling.workspaces.csv.exports import export_workspaces_csv
        from calling.workspaces.csv.imports import import_workspaces
        from customers.services import SubscriptionSpec, ensure_public_tenant, provision_customer
        from licensing import catalogue
        from licensing.models import LicenseAssignment, SubscriptionLine
        from partnerhub.audit.services import Actor
        from partnerhub.models import Partner
        from partnerhub.tenancy import in_org

        ensure_public_tenant()
        actor = Actor.system("bench")
        partner = Partner.objects.create(name="Bench", slug="bench")
        big = {"workspace_calling": 200_000}
        org = provision_customer(partner=partner, name="Bench", slug="bench-org", admin_email="a@bench.example",
                                 actor=actor, subscriptions=[SubscriptionSpec("Sub-1", big),
                                                             SubscriptionSpec("Sub-2", big)])  # fmt: skip
        print(
            f"workspace CSV import, {n} rows over {LOCATIONS} locations (target: ≤ 15 s for new rows)"
        )
        with in_org(org):
            sites = Location.objects.bulk_create(
                Location(name=f"Site {s:02d}", country="NO", is_default=s == 0)
                for s in range(LOCATIONS)
            )
            PhoneNumber.objects.bulk_create(
                (PhoneNumber(e164=number(i), location=sites[i % LOCATIONS]) for i in range(n + m)),
                batch_size=5000,
            )  # numbers pre-provisioned, the baseline's sample included
            headers = col.export_headers(col.lines())
            creates = make_csv(headers, n)
            result, create_s = timed(
                f"new workspaces with calling ({n})",
                n,
                lambda: import_workspaces(content=creates, actor=actor),
            )
            assert result.applied and result.counts["created"] == n, result.plan.errors[:5]
            assert CallingProfile.objects.filter(workspace__isnull=False).count() == n
            export, _ = timed(f"export ({n})", n, export_workspaces_csv)
            result, same_s = timed(
                f"re-import of the unchanged export ({n})",
                n,
                lambda: import_workspaces(content=export.encode(), actor=actor, mode="add-remove"),
            )
            assert result.applied and result.counts["unchanged"] == n, result.plan.errors[:5]
            moves = moved(export)
            result, move_s = timed(
                f"licenses moved to another subscription ({n})",
                n,
                lambda: import_workspaces(content=moves, actor=actor, mode="add-remove"),
            )
            assert result.applied and result.counts["moved"] == n, result.plan.errors[:5]
            sub2 = SubscriptionLine.objects.get(
                subscription__external_id="Sub-2", license_type=catalogue.WORKSPACE_CALLING
            )
            assert LicenseAssignment.objects.filter(line=sub2).count() == n

            # Baseline: the row-by-row path, service calls per row in a savepoint each
            # inside one transaction (as the import did), on a sample, then rolled back.
            sub1 = SubscriptionLine.objects.get(
                subscription__external_id="Sub-1", license_type=catalogue.WORKSPACE_CALLING
            )
            by_name = {site.name: site for site in sites}

            def row_by_row_creates() -> None:
                with transaction.atomic():
                    for i in range(n, n + m):
                        with transaction.atomic():
                            service.create_workspace(
                                name=f"Room {i:05d}", location=by_name[f"Site {i % LOCATIONS:02d}"],
                                actor=actor, line=sub1, extension=str(10000 + i), number=number(i),
                            )  # fmt: skip
                    transaction.set_rollback(True)

            sample = list(Workspace.objects.order_by("pk")[:m])

            def row_by_row_moves() -> None:
                with transaction.atomic():
                    for workspace in sample:
                        with transaction.atomic():
                            service.move_workspace_license(
                                workspace=workspace, to_line=sub1, actor=actor
                            )
                    transaction.set_rollback(True)

            _, base_create = timed(
                f"baseline row by row, new workspaces ({m})", m, row_by_row_creates
            )
            _, base_move = timed(f"baseline row by row, moves ({m})", m, row_by_row_moves)
            create_scaled, move_scaled = base_create / m * n, base_move / m * n
            print(
                f"baseline scaled to {n} rows: new {create_scaled:.1f} s, moves {move_scaled:.1f} s"
            )
            print(
                f"speed-up: new {create_scaled / create_s:.0f}×, moves {move_scaled / move_s:.0f}×"
                f" (re-import of the export: {same_s:.1f} s, nothing written)"
            )


if __name__ == "__main__":
    main()
