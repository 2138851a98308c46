"""SCIM at scale (issue #13, SPEC §9): 10,000 users with work phones through the real
HTTP stack of one server process (gunicorn, one worker process with 4 threads, on
loopback), against an org with 50 locations, a number for everyone and an org
template with calling:

* ``POST /Users`` one user per request (4 client connections at a time);
* the same people (in a second org) through ``POST /Bulk``, 1,000 operations a request;
* a re-sent, unchanged ``PUT /Users/{id}`` of all 10,000 — must write nothing: no
  user, license, SCIM or audit row changes (counted before and after);
* baseline in the same run: the directory-sync import of the same people (a third
  org; the e-mails differ by domain only, since an e-mail belongs to one org).

Targets: POST ≥ 150 users/s, Bulk ≥ 2,000 users/s.

    .venv/bin/python bench/scim.py [--users 10000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from _setup import ROOT, bench_database

LOCATIONS = 50
CLIENTS = 4
BATCH = 1000


def build_org(slug: str, users: int, prefix: str):  # type: ignore[no-untyped-def]
    from calling.models import Location, PhoneNumber
    from customers.services import SubscriptionSpec, provision_customer
    from licensing.models import SubscriptionLine
    from licensing.scim.connections import create_connection
    from licensing.services.templates import create_template
    from partnerhub.audit.services import Actor
    from partnerhub.models import Partner
    from partnerhub.tenancy import in_org

    actor = Actor.system("bench")
    partner = Partner.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0]
    customer = provision_customer(
        partner=partner, name=slug, slug=slug, admin_email=f"admin@{slug}.example",
        actor=actor, packages=["webex_calling"],
        subscriptions=[SubscriptionSpec("Sub-1", {"webex_calling": users})],
    )  # fmt: skip
    with in_org(customer):
        locations = Location.objects.bulk_create(
            Location(name=f"Site {i:02d}", country="US", is_default=i == 0)
            for i in range(LOCATIONS)
        )
        PhoneNumber.objects.bulk_create(
            (PhoneNumber(e164=f"+1{prefix}{n:07d}", location=locations[n % LOCATIONS]) for n in range(users)),
            batch_size=5000,
        )  # fmt: skip
        create_template(
            name="Everyone calls",
            lines=list(SubscriptionLine.objects.filter(license_type="webex_calling")),
            actor=actor,
        )  # fmt: skip
        _, token = create_connection(name="Bench IdP", actor=actor)
    return customer, token


def person(n: int, domain: str, prefix: str) -> dict:
    email = f"user{n}@{domain}"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "externalId": f"ext-{n}",
        "name": {"givenName": "User", "familyName": str(n)},
        "displayName": f"User {n}",
        "emails": [{"value": email, "type": "work", "primary": True}],
        "phoneNumbers": [{"value": f"+1{prefix}{n:07d}", "type": "work"}],
        "active": True,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[bytes]:
    from django.db import connection

    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    url = f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{host}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "partnerhub.settings.test",
           "CONN_MAX_AGE": "60"}  # persistent connections, as production (settings/production.py)  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 — our own app, on loopback
        [sys.executable, "-m", "gunicorn", "partnerhub.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "1", "-k", "gthread", "--threads", str(CLIENTS), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


class Caller:
    """One keep-alive connection to the server, for one org's host."""

    def __init__(self, port: int, host: str, token: str) -> None:
        self.port, self.host, self.token = port, host, token
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method: str, path: str, body: object) -> tuple[int, dict]:
        payload = json.dumps(body).encode()
        headers = {
            "Host": self.host, "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/scim+json", "Content-Length": str(len(payload)),
        }  # fmt: skip
        for attempt in (1, 2):
            try:
                self.http.request(method, f"/scim/v2/{path}", body=payload, headers=headers)
                response = self.http.getresponse()
                data = response.read()
                return response.status, (json.loads(data) if data else {})
            except (http.client.HTTPException, ConnectionError):
                self.http.close()
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def in_parallel(port: int, host: str, token: str, work: list[tuple[str, str, dict]]) -> list:
    chunks = [work[i::CLIENTS] for i in range(CLIENTS)]

    def run(chunk: list[tuple[str, str, dict]]) -> list:
        caller = Caller(port, host, token)
        return [caller.call(method, path, body) for method, path, body in chunk]

    with ThreadPoolExecutor(CLIENTS) as pool:
        return [answer for answers in pool.map(run, chunks) for answer in answers]


def footprint(customer) -> tuple:  # type: ignore[no-untyped-def]
    """What a write would change: row counts and the newest change per table."""
    from django.db.models import Count, Max

    from calling.models import CallingProfile, ProvisioningFailure
    from licensing.models import LicenseAssignment, OrgUser, ScimUser
    from partnerhub.audit.models import AuditEntry
    from partnerhub.tenancy import in_org

    with in_org(customer):
        return (
            OrgUser.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
            LicenseAssignment.objects.aggregate(n=Count("pk"), last=Max("assigned_at")),
            ScimUser.objects.count(),
            CallingProfile.objects.count(),
            ProvisioningFailure.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
            AuditEntry.objects.count(),
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args()
    n = args.users
    with bench_database("scim"):
        from calling.models import CallingProfile
        from calling.services.directory import DirectoryEntry, sync_directory
        from customers.services import customer_host, ensure_public_tenant
        from partnerhub.audit.services import Actor
        from partnerhub.tenancy import in_org

        ensure_public_tenant()
        posted, post_token = build_org("scimpost", n, "212")
        bulked, bulk_token = build_org("scimbulk", n, "213")
        synced, _ = build_org("scimsync", n, "214")
        port = free_port()
        server = start_server(port)
        try:
            people = [person(i, "post.example", "212") for i in range(n)]
            started = time.perf_counter()
            answers = in_parallel(
                port, customer_host(posted), post_token, [("POST", "Users", p) for p in people]
            )
            post_s = time.perf_counter() - started
            assert all(status == 201 for status, _ in answers), {s for s, _ in answers}
            ids = {body["userName"]: body["id"] for _, body in answers}

            operations = [
                {
                    "method": "POST",
                    "path": "/Users",
                    "bulkId": f"u{i}",
                    "data": person(i, "bulk.example", "213"),
                }
                for i in range(n)
            ]
            caller = Caller(port, customer_host(bulked), bulk_token)
            started = time.perf_counter()
            for i in range(0, n, BATCH):
                request = {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                    "Operations": operations[i : i + BATCH],
                }
                status, body = caller.call("POST", "Bulk", request)
                assert status == 200 and all(op["status"] == "201" for op in body["Operations"]), (
                    status
                )
            bulk_s = time.perf_counter() - started

            before = footprint(posted)
            by_id = {ids[p["userName"]]: p for p in people}
            started = time.perf_counter()
            answers = in_parallel(
                port,
                customer_host(posted),
                post_token,
                [("PUT", f"Users/{i}", p) for i, p in by_id.items()],
            )
            put_s = time.perf_counter() - started
            assert all(status == 200 for status, _ in answers), {s for s, _ in answers}
            after = footprint(posted)
        finally:
            server.terminate()
            server.wait(timeout=30)

        entries = [
            DirectoryEntry(f"user{i}@sync.example", "User", str(i), f"+1214{i:07d}")
            for i in range(n)
        ]
        with in_org(synced):
            started = time.perf_counter()
            sync_directory(entries=entries, actor=Actor.system("bench"))
            sync_s = time.perf_counter() - started
        provisioned = {}
        for org in (posted, bulked, synced):
            with in_org(org):
                provisioned[org.slug] = CallingProfile.objects.count()

        print(
            f"SCIM: {n} users with work phones, {LOCATIONS} locations, one gunicorn process ({CLIENTS} threads), loopback"
        )
        print(
            f"POST /Users, one a request:  {post_s:7.2f} s  {n / post_s:8.0f} users/s  (target ≥ 150)  provisioned {provisioned['scimpost']}"
        )
        print(
            f"POST /Bulk, {BATCH} a request:   {bulk_s:7.2f} s  {n / bulk_s:8.0f} users/s  (target ≥ 2,000)  provisioned {provisioned['scimbulk']}"
        )
        print(
            f"unchanged PUT of all {n}:  {put_s:7.2f} s  {n / put_s:8.0f} users/s  writes nothing: {before == after}"
        )
        print(
            f"baseline, directory-sync import of the same people: {sync_s:.2f} s  {n / sync_s:.0f} users/s  provisioned {provisioned['scimsync']}"
        )
        if before != after:
            print(f"  before {before}\n  after  {after}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
