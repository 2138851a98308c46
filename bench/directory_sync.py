"""Directory sync at scale (issue #4): 20,000 directory users against an org with
20,000 pre-provisioned numbers over 50 locations and an org template with calling.

Prints seconds and users/s for the first sync (creates and provisions everyone; 1% of
the work phones are written without the +, to show the failure path) and for a
re-sync of the same feed (nothing changes); targets ≤ 15 s and ≤ 5 s. Baseline in the
same run: the single-user path (create one user with calling through the services
the pages use), measured on a sample and scaled to the feed size.

    .venv/bin/python bench/directory_sync.py [--users 20000]
"""

from __future__ import annotations

import argparse
import time

from _setup import bench_database

LOCATIONS = 50
SAMPLE = 300


def build_org(users: int):  # type: ignore[no-untyped-def]
    from calling.models import Location, PhoneNumber
    from customers.services import SubscriptionSpec, ensure_public_tenant, provision_customer
    from licensing.models import SubscriptionLine
    from licensing.services.templates import create_template
    from partnerhub.audit.services import Actor
    from partnerhub.models import Partner
    from partnerhub.tenancy import in_org

    actor = Actor.system("bench")
    ensure_public_tenant()
    partner = Partner.objects.create(name="Bench", slug="bench")
    total = users + SAMPLE
    customer = provision_customer(
        partner=partner, name="Bench", slug="bench", admin_email="admin@bench.example",
        actor=actor, packages=["webex_calling"],
        subscriptions=[SubscriptionSpec("Sub-1", {"webex_calling": total})],
    )  # fmt: skip
    with in_org(customer):
        locations = Location.objects.bulk_create(
            Location(name=f"Site {i:02d}", country="US", is_default=i == 0)
            for i in range(LOCATIONS)
        )
        PhoneNumber.objects.bulk_create(
            (
                PhoneNumber(e164=f"+1212{n:07d}", location=locations[n % LOCATIONS])
                for n in range(total)
            ),
            batch_size=5000,
        )
        create_template(
            name="Everyone calls",
            lines=list(SubscriptionLine.objects.filter(license_type__in=["webex_calling"])),
            actor=actor,
        )  # fmt: skip
    return customer, actor


def feed(users: int):  # type: ignore[no-untyped-def]
    from calling.services.directory import DirectoryEntry

    return [
        DirectoryEntry(
            email=f"user{n}@bench.example",
            first_name="User",
            last_name=str(n),
            work_phone=f"+1212{n:07d}" if n % 100 else f"1212{n:07d}",
        )  # fmt: skip
        for n in range(users)
    ]


def baseline_per_user(users: int, actor) -> float:  # type: ignore[no-untyped-def]
    """Seconds per user of the single-user path, on a sample."""
    from calling.models import PhoneNumber
    from calling.services.profiles import CallingDetails
    from licensing.services.users import create_user

    numbers = list(PhoneNumber.objects.select_related("location").order_by("-e164")[:SAMPLE])
    started = time.perf_counter()
    for i, number in enumerate(numbers):
        create_user(
            email=f"single{i}@bench.example", actor=actor,
            calling=CallingDetails(location=number.location, number=number.e164),
        )  # fmt: skip
    return (time.perf_counter() - started) / len(numbers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20_000)
    args = parser.parse_args()
    with bench_database("directory"):
        from calling.models import CallingProfile
        from calling.services.directory import sync_directory
        from partnerhub.tenancy import in_org

        customer, actor = build_org(args.users)
        with in_org(customer):
            entries = feed(args.users)
            started = time.perf_counter()
            first = sync_directory(entries=entries, actor=actor)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            again = sync_directory(entries=entries, actor=actor)
            again_s = time.perf_counter() - started
            assert CallingProfile.objects.count() == first.provisioned
            per_user = baseline_per_user(args.users, actor)
            n = args.users
            print(f"directory sync of {n} users, {LOCATIONS} locations, {n + SAMPLE} numbers")
            print(
                f"first sync:   {first_s:6.2f} s  {n / first_s:8.0f} users/s  (target ≤ 15 s)  "
                f"created {first.created}, provisioned {first.provisioned}, "
                f"unprovisioned {len(first.unprovisioned)}"
            )
            print(
                f"re-sync:      {again_s:6.2f} s  {n / again_s:8.0f} users/s  (target ≤ 5 s)  "
                f"created {again.created}, updated {again.updated}, unchanged {again.unchanged}, "
                f"provisioned {again.provisioned}"
            )
            print(
                f"baseline, one user at a time through the page's services: {per_user * 1000:.1f} ms "
                f"per user → {per_user * n:.0f} s for {n} ({per_user * n / first_s:.0f}× the sync)"
            )


if __name__ == "__main__":
    main()
