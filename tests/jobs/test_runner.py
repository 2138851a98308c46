"""The one job runner: kinds registered by the apps, one lifecycle, one failure policy
(SPEC §4 "Running an import"). Real worker processes: test_worker_processes.py."""

from __future__ import annotations

import logging

import pytest
from django.db import models

from calling.jobs import CallingJob
from licensing.jobs import LicensingJob
from partnerhub.errors import DomainError
from partnerhub.jobs import registry, services
from partnerhub.jobs.errors import UnknownJobKind
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.registry import JobOutcome
from partnerhub.jobs.runner import UNEXPECTED, execute_job
from tests.committed import ACTOR

pytestmark = pytest.mark.django_db


class SampleJob(models.TextChoices):
    BROKEN = "test_broken", "A job that breaks"
    REFUSED = "test_refused", "A job a rule refuses"
    DONE = "test_done", "A job that works"


def broken(job: OrgJob, progress: registry.Progress) -> JobOutcome:
    raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")


def refused(job: OrgJob, progress: registry.Progress) -> JobOutcome:
    raise DomainError("No Webex Calling licenses left on Sub-1 (5 of 5 used).")


def done(job: OrgJob, progress: registry.Progress) -> JobOutcome:
    progress.update(status=JobStatus.RUNNING)
    return JobOutcome(counts={"created": 3}, value="the service's result")


@pytest.fixture(autouse=True)
def test_kinds() -> None:
    registry.register_job_kind(SampleJob.BROKEN, runner=broken, exclusive=False)
    registry.register_job_kind(SampleJob.REFUSED, runner=refused, exclusive=False)
    registry.register_job_kind(SampleJob.DONE, runner=done, exclusive=False)


def test_every_app_registers_its_job_kinds_with_a_label():
    labels = {t.kind.value: t.label for t in registry.job_types()}
    assert labels[LicensingJob.USER_CSV] == "Users CSV import"
    assert labels[CallingJob.DIRECTORY_SYNC] == "Directory sync"
    assert set(registry.exclusive_kinds()) >= {"user_csv", "workspace_csv", "directory_sync"}


def test_a_kind_no_app_registered_is_refused_at_once(acme):
    with pytest.raises(UnknownJobKind, match="register it in its AppConfig.ready"):
        services.start_job(kind="nobody_registered_this", actor=ACTOR)
    assert not OrgJob.objects.exists()


def test_a_kind_claimed_by_two_apps_is_refused():
    class Other(models.TextChoices):
        USER_CSV = "user_csv", "Someone else's users"

    with pytest.raises(ValueError, match="registered twice"):
        registry.register_job_kind(Other.USER_CSV, runner=done, exclusive=False)


def test_a_job_runs_its_apps_runner_and_finishes(acme):
    job = services.start_job(kind=SampleJob.DONE, actor=ACTOR, enqueue=False)
    outcome = execute_job(job.pk)
    job.refresh_from_db()
    assert outcome is not None and outcome.value == "the service's result"
    assert (job.status, job.counts, job.kind_label) == (
        JobStatus.DONE, {"created": 3}, "A job that works",
    )  # fmt: skip


def test_a_job_already_claimed_is_not_run_again(acme):
    job = services.start_job(kind=SampleJob.DONE, actor=ACTOR, enqueue=False)
    execute_job(job.pk)
    assert execute_job(job.pk) is None


def test_an_unexpected_error_says_nothing_was_applied_and_is_logged_with_traceback(acme, caplog):
    job = services.start_job(kind=SampleJob.BROKEN, actor=ACTOR, enqueue=False)
    with caplog.at_level(logging.ERROR), pytest.raises(UnicodeDecodeError):
        execute_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == (JobStatus.FAILED, UNEXPECTED)
    assert "nothing was applied" in job.failure and "UnicodeDecodeError" not in job.failure
    assert caplog.records[-1].exc_info[0] is UnicodeDecodeError


def test_a_domain_error_shows_its_own_message(acme, caplog):
    job = services.start_job(kind=SampleJob.REFUSED, actor=ACTOR, enqueue=False)
    with pytest.raises(DomainError):
        execute_job(job.pk)
    job.refresh_from_db()
    assert job.failure == "No Webex Calling licenses left on Sub-1 (5 of 5 used)."
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_job_whose_worker_is_gone_is_reaped_by_the_next_upload(acme):
    # given a job claimed by a worker that is gone (nobody holds its advisory lock),
    # its last heartbeat still fresh
    dead = services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR, enqueue=False)
    OrgJob.objects.filter(pk=dead.pk).update(status=JobStatus.RUNNING, worker="gone:1")
    # when the next file is uploaded
    fresh = services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR, enqueue=False)
    # then the upload is accepted and the dead job failed, saying nothing was applied
    dead.refresh_from_db()
    assert (dead.status, fresh.status) == (JobStatus.FAILED, JobStatus.QUEUED)
    assert "stopped before it finished; nothing was applied" in dead.failure


def test_the_tasks_page_lists_contact_center_runs_through_the_registry(org_client, world):
    from contactcenter.models import AgentTemplateUpload, SyncRun, SyncRunKind
    from tests.conftest import in_schema

    with in_schema(world.acme):
        SyncRun.objects.create(kind=SyncRunKind.SYNCHRONIZE)
        AgentTemplateUpload.objects.create(file_name="agents.csv", applied=True)
        services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR, enqueue=False)
    page = org_client(world.acme, world.ann).get("/tasks/").content.decode()
    assert "Users CSV import" in page
    assert "Contact-center sync: Synchronize users" in page
    assert "Agent template upload: agents.csv" in page
