"""A running job keeps its heartbeat while one long step runs, so it is never reaped
as dead (SPEC §4 "Running an import"); real commits (tests/committed.py)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from customers.services import SubscriptionSpec
from partnerhub.jobs import services
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.committed import ACTOR, in_org, in_own_connection, throwaway_org


@pytest.mark.django_db
def test_a_long_step_keeps_the_heartbeat_and_the_job_is_not_reaped(world, monkeypatch):
    monkeypatch.setattr(services, "HEARTBEAT_EVERY", dt.timedelta(seconds=0.2))
    monkeypatch.setattr(services, "STALE_AFTER", dt.timedelta(seconds=1))
    with throwaway_org(
        world, prefix="beat", prepare=lambda slug: None,
        subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
    ) as (org, _):  # fmt: skip
        job = in_org(
            org,
            lambda: services.start_job(kind="directory_sync", actor=ACTOR, file_name="ad.csv"),
        )

        def long_step() -> None:
            from django.db import connection

            connection.set_tenant(org)
            progress = services.ProgressWriter(job)
            try:
                progress.update(status=JobStatus.RUNNING)
                time.sleep(1.5)  # longer than STALE_AFTER, with no progress written
            finally:
                progress.close()

        in_own_connection(long_step)
        reaped = in_org(org, services.reap_stale_jobs)
        status = in_org(org, lambda: OrgJob.objects.get(pk=job.pk).status)

    assert (reaped, status) == (0, JobStatus.RUNNING)
