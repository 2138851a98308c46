"""Contact center at CSV scale: reconcile and sync 20,000 agents (SPEC §7, §9).

Prints, in one run on a database of its own (``test_partnerhub_bench_cc``, created
and dropped here):
* ``reconcile_agents`` for 20,000 users (what the user CSV calls), first run and
  nothing-changed run, against the baseline of reconciling the same users one call
  per user (measured on a sample, scaled up);
* the sync of 20,000 pending agents to the built-in roster in batches, against the
  baseline of one transaction per agent (sample, scaled up).

Run: ``.venv/bin/python bench/contactcenter_sync.py [users]``
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.test")
os.environ["PARTNERHUB_TEST_DB"] = "bench_cc"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
SAMPLE = 1_000


def timed(label: str, function, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.2f} s")
    return seconds


def make_users(prefix: str, count: int) -> list[int]:
    from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine

    line = SubscriptionLine.objects.get(license_type="cc_standard")
    OrgUser.objects.bulk_create(
        [OrgUser(email=f"{prefix}{i}@bench.test") for i in range(count)], batch_size=5000
    )
    ids = list(OrgUser.objects.filter(email__startswith=prefix).values_list("id", flat=True))
    LicenseAssignment.objects.bulk_create(
        [
            LicenseAssignment(
                line=line, license_type="cc_standard", kind="contact_center", user_id=i
            )
            for i in ids
        ],
        batch_size=5000,
    )
    return ids


def main() -> None:
    from contactcenter.models import Agent
    from contactcenter.services import reconcile_agents, run_sync
    from customers.services import SubscriptionSpec, ensure_public_tenant, provision_customer
    from partnerhub.audit.services import Actor
    from partnerhub.models import Partner
    from partnerhub.tenancy import in_org

    actor = Actor.system("bench")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        ensure_public_tenant()
        partner = Partner.objects.create(name="Bench", slug="bench")
        customer = provision_customer(
            partner=partner,
            name="Bench",
            slug="bench",
            admin_email="admin@bench.test",
            actor=actor,
            subscriptions=[SubscriptionSpec("Sub-1", {"cc_standard": 2 * USERS + 2 * SAMPLE})],
        )
        with in_org(customer):
            with override_settings(CONTACT_CENTER_AUTO_SYNC=False):
                ids = make_users("u", USERS)
                first = timed(
                    f"reconcile_agents, {USERS} new agents (bulk)",
                    reconcile_agents,
                    user_ids=ids,
                    actor=actor,
                )
                timed(
                    f"reconcile_agents, {USERS} agents, nothing changed",
                    reconcile_agents,
                    user_ids=ids,
                    actor=actor,
                )
                sample = make_users("s", SAMPLE)

                def one_by_one() -> None:
                    for user_id in sample:
                        reconcile_agents(user_ids=[user_id], actor=actor)

                per_user = timed(f"baseline: one call per user, {SAMPLE} agents", one_by_one)
                print(
                    f"  → baseline scaled to {USERS}: {per_user * USERS / SAMPLE:.2f} s; "
                    f"bulk is {per_user * USERS / SAMPLE / first:.0f}× faster"
                )
                Agent.objects.filter(user_id__in=sample).delete()
                sync = timed(f"run_sync, {USERS} pending agents (batches of 500)", run_sync)
                timed("run_sync, nothing pending", run_sync)
                reconcile_agents(user_ids=make_users("t", SAMPLE), actor=actor)
                with override_settings(CONTACT_CENTER_SYNC_BATCH_SIZE=1):
                    single = timed(
                        f"baseline: one transaction per agent, {SAMPLE} agents", run_sync
                    )
                print(
                    f"  → baseline scaled to {USERS}: {single * USERS / SAMPLE:.2f} s; "
                    f"batches are {single * USERS / SAMPLE / sync:.1f}× faster"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
