"""A running job keeps its heartbeat while one long step runs, so it is never reaped
as dead (SPEC §4 "Running an import"); real commits (tests/committed.py)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from calling.jobs import CallingJob
from customers.services import SubscriptionSpec
from partnerhub.jobs import progress as job_progress
from partnerhub.jobs import reaper, services
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.committed import ACTOR, in_org, in_own_connection, throwaway_org


@pytest.mark.django_db
def test_a_long_step_keeps_the_heartbeat_and_the_job_is_not_reaped(world, monkeypatch):
    monkeypatch.setattr(job_progress, "HEARTBEAT_EVERY", dt.timedelta(seconds=0.2))
    monkeypatch.setattr(job_progress, "STALE_AFTER", dt.timedelta(seconds=1))
    with throwaway_org(
        world, prefix="beat", prepare=lambda slug: None,
        subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
    ) as (org, _):  # fmt: skip
        job = in_org(
            org,
            lambda: services.start_job(
                kind=CallingJob.DIRECTORY_SYNC, actor=ACTOR, file_name="ad.csv"
            ),
        )

        def long_step() -> None:
            from django.db import connection

            connection.set_tenant(org)
            progress = job_progress.ProgressWriter(job)
            assert progress.lock()
            progress.start_heartbeat()
            try:
                progress.update(status=JobStatus.RUNNING)
                time.sleep(1.5)  # longer than STALE_AFTER, with no progress written
                # the reaper looks while the step still runs (its worker alive)
                return (
                    in_org(org, reaper.reap_stale_jobs),
                    in_org(org, lambda: OrgJob.objects.get(pk=job.pk).status),
                )
            finally:
                progress.close()

        reaped, status = in_own_connection(long_step)

    assert (reaped, status) == (0, JobStatus.RUNNING)
