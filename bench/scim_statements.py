"""SQL statements per SCIM request (issue #13, SPEC §9): a figure that does not depend
on how busy the machine is, unlike users/s. Sets up one org as ``bench/scim.py`` does
(50 locations, a number for everyone, an org template with calling), then sends
through Django's whole request stack in-process (middleware included):

* ``POST /Users`` — one user a request;
* an unchanged ``PUT /Users/{id}`` of each of them;
* one ``POST /Bulk`` of the next users;

and prints the statements of each (a COPY counts as one: ``partnerhub.bulk`` logs it),
grouped by their first words. ``--profile`` adds
cProfile's top functions of the POSTs.

    .venv/bin/python bench/scim_statements.py [--users 20] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path

from _setup import bench_database

MEDIA = "application/scim+json"


def shape(sql: str) -> str:
    """A statement's kind: its verb and the table it touches first."""
    sql = " ".join(sql.split())
    verb = sql.split(" ", 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE|TABLE)\s+"?([\w.]+)"?', sql, re.IGNORECASE)
    if verb == "SET":
        return "SET search_path"
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"):
        return verb
    return f"{verb} {table.group(1) if table else sql[:40]}"


def _backend_cpu_reader(connection):  # type: ignore[no-untyped-def]
    """A function giving the CPU seconds (user + system) the PostgreSQL backend of
    ``connection`` has used so far (read from /proc: the embedded server is local)."""
    import os

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    return cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--show", action="store_true", help="print every statement of one POST")
    args = parser.parse_args()
    n = args.users
    with bench_database("scim_statements"):
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from scim import build_org, person

        from customers.services import customer_host, ensure_public_tenant

        ensure_public_tenant()
        org, token = build_org("scimcount", 2 * n + 10, "212")
        client = Client(HTTP_HOST=customer_host(org), HTTP_AUTHORIZATION=f"Bearer {token}")

        def send(method: str, path: str, body: object) -> tuple[int, dict, list[str]]:
            connection.queries_log.clear()  # its 9,000-query cap would end the counts
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(
                    f"/scim/v2/{path}", data=json.dumps(body), content_type=MEDIA
                )
            data = json.loads(response.content) if response.content else {}
            return response.status_code, data, [q["sql"] for q in queries.captured_queries]

        people = [person(i, "count.example", "212") for i in range(n)]
        send("post", "Users", person(10_000, "count.example", "212"))  # warm-up
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        backend = _backend_cpu_reader(connection)
        post_counts: list[int] = []
        kinds: Counter[str] = Counter()
        ids = []
        started, cpu, pg_cpu = time.perf_counter(), time.process_time(), backend()
        for p in people:
            if profiler:
                profiler.enable()
            status, body, sqls = send("post", "Users", p)
            if profiler:
                profiler.disable()
            assert status == 201, (status, body)
            ids.append(body["id"])
            post_counts.append(len(sqls))
            kinds.update(shape(s) for s in sqls)
            if args.show and len(post_counts) == 1:
                print("\n".join(sqls), "\n")
        post_s, post_cpu = time.perf_counter() - started, time.process_time() - cpu
        post_pg = backend() - pg_cpu
        put_counts = []
        for user_id, p in zip(ids, people, strict=True):
            status, body, sqls = send("put", f"Users/{user_id}", p)
            assert status == 200, (status, body)
            put_counts.append(len(sqls))
        operations = [
            {"method": "POST", "path": "/Users", "bulkId": f"b{i}", "data": person(i, "b.example", "212")}
            for i in range(n, 2 * n)
        ]  # fmt: skip
        status, body, bulk_sqls = send(
            "post", "Bulk",
            {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": operations},
        )  # fmt: skip
        assert status == 200 and all(op["status"] == "201" for op in body["Operations"]), body
        connection.set_schema_to_public()

        print(f"POST /Users: {sum(post_counts) / n:.1f} statements a request "
              f"(min {min(post_counts)}, max {max(post_counts)}); in-process {n / post_s:.0f} users/s, "
              f"{1000 * post_cpu / n:.1f} ms of Python CPU and "
              f"{1000 * post_pg / n:.1f} ms of PostgreSQL CPU (its backend) a request")  # fmt: skip
        print(f"unchanged PUT: {sum(put_counts) / n:.1f} statements a request")
        print(f"POST /Bulk of {n}: {len(bulk_sqls)} statements ({len(bulk_sqls) / n:.2f} a user)")
        print("\nPOST statements by kind (a request):")
        for kind, count in kinds.most_common():
            print(f"  {count / n:5.1f}  {kind}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
