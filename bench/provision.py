"""Provisioning customer orgs: both ways django-tenants offers, side by side (SPEC §2, §9).

* migrate: CREATE SCHEMA + run every tenant migration into it (the default today);
* clone:   copy a migrated template schema (django-tenants' clone_schema) and fake
           the migrations.
Then a no-op ``migrate_schemas`` across all orgs, per org.

    .venv/bin/python bench/provision.py [--n 200] [--methods migrate,clone]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import bench_database, percentile

TEMPLATE = "tenant_template"


def provision_many(method: str, start: int, n: int, partner, actor) -> list[float]:  # type: ignore[no-untyped-def]
    from django.test import override_settings

    from customers.services import SubscriptionSpec, provision_customer

    overrides = {"TENANT_CREATION_FAKES_MIGRATIONS": False, "TENANT_BASE_SCHEMA": ""}
    if method == "clone":
        overrides = {"TENANT_CREATION_FAKES_MIGRATIONS": True, "TENANT_BASE_SCHEMA": TEMPLATE}
    timings = []
    with override_settings(**overrides):
        for i in range(start, start + n):
            started = time.perf_counter()
            provision_customer(
                partner=partner, name=f"Org {i}", slug=f"{method}{i}", admin_email=f"a@{method}{i}.example",
                actor=actor, packages=["webex_calling"],
                subscriptions=[SubscriptionSpec(f"Sub-{i}", {"webex_calling": 10, "webex_meetings": 10})],
            )  # fmt: skip
            timings.append(time.perf_counter() - started)
    return timings


def report(method: str, timings: list[float]) -> None:
    tail = timings[-max(1, len(timings) // 10) :]
    print(
        f"{method:<8} n={len(timings):<5} p50={statistics.median(timings):.3f}s "
        f"p95={percentile(timings, 0.95):.3f}s  last 10%: p50={statistics.median(tail):.3f}s "
        f"(target p50 ≤ 1 s at 1,000 orgs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="orgs per method")
    parser.add_argument(
        "--methods", default="clone,migrate", help="in this order; the later ones see more orgs"
    )
    args = parser.parse_args()
    with bench_database("provision"):
        from django.core.management import call_command
        from django.test import override_settings

        from customers.models import Customer
        from customers.services import ensure_public_tenant, ensure_tenant_template
        from partnerhub.audit.services import Actor
        from partnerhub.models import Partner

        ensure_public_tenant()
        partner = Partner.objects.create(name="Bench", slug="bench")
        actor = Actor.system("bench")
        methods = args.methods.split(",")
        if "clone" in methods:
            with override_settings(
                TENANT_CREATION_FAKES_MIGRATIONS=True, TENANT_BASE_SCHEMA=TEMPLATE
            ):
                ensure_tenant_template()
        print(f"provisioning {args.n} orgs per method, in one database")
        done = 0
        for method in methods:
            timings = provision_many(method, done, args.n, partner, actor)
            done += args.n
            report(method, timings)
        schemas = list(
            Customer.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
        )  # template included
        started = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        skipping = time.perf_counter() - started
        orgs = len(schemas)
        print(
            f"no-op migrate_schemas over {orgs} orgs: {skipping:.2f}s = {skipping / orgs:.4f}s per "
            "org (target ≤ 0.1 s per org)",
            flush=True,
        )
        started = time.perf_counter()
        every_schema_migrate(schemas)
        baseline = time.perf_counter() - started
        print(
            f"baseline, django-tenants' executor running migrate in every schema: "
            f"{baseline:.1f}s = {baseline / orgs:.3f}s per org ({baseline / skipping:.0f}×)"
        )


def every_schema_migrate(schemas: list[str]) -> None:
    """The baseline: django-tenants' standard executor, running migrate in every schema."""
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
    from django_tenants.migration_executors import get_executor

    parser = MigrateSchemasCommand().create_parser("manage.py", "migrate_schemas")
    options = {**vars(parser.parse_args(["--noinput"])), "verbosity": 0}
    get_executor("standard")([], options).run_migrations(tenants=schemas)


if __name__ == "__main__":
    main()
