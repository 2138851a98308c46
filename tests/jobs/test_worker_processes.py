"""Real ``manage.py db_worker`` processes on the test database (SPEC §4 "Running an
import"): two workers on one queue never run one job twice, and a worker killed in
the middle of an import is noticed — its job failed, nothing applied, its task record
not left running. A throw-away org whose changes commit (tests/committed.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from customers.services import SubscriptionSpec
from licensing.jobs import LicensingJob
from licensing.models import OrgUser
from partnerhub.jobs import reaper, services
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.tasks import run_org_job
from tests.committed import ACTOR, in_org, in_own_connection, throwaway_org
from tests.licensing.test_csv_import import csv_of, meetings_user

PACKAGES = ["webex_meetings"]
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def database_url() -> str:
    """The test database, for processes of their own."""
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{s['USER']}{password}@{quote(s['HOST'], safe='')}{port}/{s['NAME']}"


def start_worker(*args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=database_url(), DJANGO_SETTINGS_MODULE="partnerhub.settings.test")
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def users_csv(n: int) -> bytes:
    """Run inside the org: the header names its subscription lines."""
    return csv_of(*(meetings_user(f"user{i}@work.test") for i in range(n)))


def org_of(world, prefix: str, users: int):  # type: ignore[no-untyped-def]
    return throwaway_org(
        world, prefix=prefix, prepare=lambda slug: None,
        subscriptions=[SubscriptionSpec("Sub-100234", {package: users for package in PACKAGES})],
    )  # fmt: skip


def task_records(org, job_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return in_own_connection(
        lambda: list(
            DBTaskResult.objects.filter(
                task_path=run_org_job.module_path, args_kwargs__args=[org.schema_name, job_id]
            ).values_list("status", flat=True)
        )
    )


def test_two_workers_on_one_queue_never_run_the_same_job_twice(world):
    with org_of(world, "twice", users=50) as (org, _):
        # given one job whose task was queued four times (a retry, a double click)
        def queue() -> OrgJob:
            job = services.start_job(
                kind=LicensingJob.USER_CSV, actor=ACTOR, file_name="u.csv",
                content=users_csv(50), params={"mode": "add"},
            )  # fmt: skip
            for _ in range(3):
                run_org_job.enqueue(org.schema_name, job.pk)
            return job

        job = in_org(org, queue)
        # when two worker processes drain the queue at the same time
        workers = [start_worker("--batch"), start_worker("--batch")]
        outputs = [worker.communicate(timeout=180)[0].decode() for worker in workers]
        # then the job ran once: 50 users created, no second run counted them as unchanged
        done = in_org(org, lambda: OrgJob.objects.get(pk=job.pk))
        users = in_org(org, lambda: OrgUser.objects.count())
        records = task_records(org, job.pk)
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert (done.status, done.counts.get("created"), users) == (JobStatus.DONE, 50, 50), (
        done.messages[:3]
    )
    assert done.worker.endswith(tuple(f":{w.pid}" for w in workers))
    assert records == [TaskResultStatus.SUCCESSFUL] * 4


def import_running(org, rows: int) -> OrgJob:  # type: ignore[no-untyped-def]
    """Upload a users CSV of ``rows`` new users as a job of ``org`` and wait until a
    worker is applying it (validated, progress running)."""
    job = in_org(
        org,
        lambda: services.start_job(
            kind=LicensingJob.USER_CSV,
            actor=ACTOR,
            file_name="big.csv",
            content=users_csv(rows),
            params={"mode": "add"},
        ),  # fmt: skip
    )
    deadline = time.monotonic() + 120
    while in_org(org, lambda: OrgJob.objects.get(pk=job.pk).status) != JobStatus.RUNNING:
        assert time.monotonic() < deadline, "the worker never started the import"
        time.sleep(0.05)
    return job


def test_a_worker_killed_mid_import_is_reaped_when_the_next_worker_starts(world):
    rows = 15_000
    with org_of(world, "killed", users=rows) as (org, _):
        worker = start_worker()
        try:
            # given the worker is applying the file (validated, progress running)
            job = import_running(org, rows)
            # when it is killed (no chance to clean up) and the next worker starts
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
            killed_at = time.monotonic()
            next_worker = start_worker("--batch")
            next_worker.communicate(timeout=120)
            reaped_within = time.monotonic() - killed_at
        finally:
            if worker.poll() is None:
                worker.kill()
        failed = in_org(org, lambda: OrgJob.objects.get(pk=job.pk))
        users = in_org(org, lambda: OrgUser.objects.count())
        records = task_records(org, job.pk)
    # then the job failed saying nothing was applied, and nothing was
    assert failed.status == JobStatus.FAILED
    assert "stopped before it finished; nothing was applied" in failed.failure
    assert users == 0
    assert records == [TaskResultStatus.FAILED]  # the task record is not left RUNNING
    assert reaped_within < 60


def test_a_worker_killed_mid_import_is_reaped_by_a_running_worker_within_seconds(world):
    rows = 15_000
    with org_of(world, "periodic", users=rows) as (org, _):
        # given a worker that keeps running (on another queue: it never takes the job)
        watching = start_worker("--queue-name", "elsewhere")
        dying = None
        try:
            assert b"Starting worker" in watching.stdout.readline()
            # and another that is applying a file (validated, progress running)
            dying = start_worker()
            job = import_running(org, rows)
            # when that one is killed, with no upload and no worker starting after it
            dying.send_signal(signal.SIGKILL)
            dying.wait(timeout=30)
            killed_at = time.monotonic()
            while in_org(org, lambda: OrgJob.objects.get(pk=job.pk).status) == JobStatus.RUNNING:
                assert time.monotonic() - killed_at < 30, "the running worker never reaped it"
                time.sleep(0.2)
            reaped_within = time.monotonic() - killed_at
        finally:
            for worker in (dying, watching):
                if worker is not None and worker.poll() is None:
                    worker.terminate()
                    worker.communicate(timeout=30)
        failed = in_org(org, lambda: OrgJob.objects.get(pk=job.pk))
        users = in_org(org, lambda: OrgUser.objects.count())
        records = task_records(org, job.pk)
    # then the running worker's periodic check failed it, saying nothing was applied
    assert failed.status == JobStatus.FAILED
    assert "stopped before it finished; nothing was applied" in failed.failure
    assert users == 0
    assert records == [TaskResultStatus.FAILED]
    assert reaped_within < 3 * reaper.REAP_EVERY.total_seconds()
