"""Customer list with many customers: median time and query count of the page and
the API, at two sizes to show the query count does not grow (SPEC §9).

    .venv/bin/python bench/customer_list.py [--n 2000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import bench_database

TARGET_MS = 100


def add_customers(partner, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    from customers.models import Customer, CustomerSummary, CustomerUsage, Domain

    customers = Customer.objects.bulk_create(
        Customer(
            schema_name=f"org_b{i}", name=f"Customer {i:05}", slug=f"b{i}", partner=partner,
            admin_email=f"admin@b{i}.example", packages=["webex_calling", "webex_meetings"],
        )
        for i in range(start, start + count)
    )  # fmt: skip
    Domain.objects.bulk_create(Domain(domain=f"{c.slug}.localhost", tenant=c) for c in customers)
    CustomerSummary.objects.bulk_create(
        CustomerSummary(customer=c, user_count=40) for c in customers
    )
    CustomerUsage.objects.bulk_create(
        CustomerUsage(customer=c, service=service, used=used, bought=50)
        for c in customers
        for service, used in (
            ("webex_calling", 30),
            ("webex_meetings", 45),
            ("webex_suite", 51),
        )
    )


def measure(client, url: str, repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with bench_database("customer_list"):
        from django.test import Client

        from customers.services import ensure_public_tenant
        from partnerhub.models import Account, Partner, PartnerMembership, PartnerRole

        ensure_public_tenant()
        partner = Partner.objects.create(name="Bench Partner", slug="bench")
        admin = Account.objects.create_user("admin@bench.example", "x")
        PartnerMembership.objects.create(
            account=admin, partner=partner, role=PartnerRole.FULL_ADMIN
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(admin)
        small = max(1, args.n // 10)
        print(f"customer list benchmark (target: median ≤ {TARGET_MS} ms, constant queries)")
        print(f"{'customers':>10} {'what':<24} {'median ms':>10} {'queries':>8}")
        done = 0
        for size in (small, args.n):
            add_customers(partner, done, size - done)
            done = size
            for what, url in (
                ("page (first 50)", "/partner/customers/"),
                ("page sorted by users", "/partner/customers/?sort=-users"),
                ("page search", "/partner/customers/?q=00123"),
                ("page overage filter", "/partner/customers/?status=license_overage"),
                ("API (first 50)", "/api/partner/customers/"),
                ("dashboard", "/partner/"),
            ):
                median, queries = measure(client, url, args.repeat)
                print(f"{size:>10} {what:<24} {median:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
