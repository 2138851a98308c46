"""Cancelling a queued task from the Tasks page (issue #11, Tasks page): only while
queued, only by a role that may start its kind, its django-tasks record too, audited;
a running task says it cannot be cancelled."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from calling.jobs import CallingJob
from licensing.jobs import LicensingJob
from partnerhub.audit.models import AuditEntry
from partnerhub.jobs import services
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.runner import execute_job
from partnerhub.jobs.tasks import run_org_job
from tests.committed import ACTOR
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def _queued(world, django_capture_on_commit_callbacks, kind=LicensingJob.USER_CSV) -> OrgJob:  # type: ignore[no-untyped-def]
    with in_schema(world.acme), django_capture_on_commit_callbacks(execute=True):
        return services.start_job(kind=kind, actor=ACTOR, file_name="people.csv")


def _task_record(job: OrgJob) -> DBTaskResult:
    return DBTaskResult.objects.get(
        task_path=run_org_job.module_path, args_kwargs__args=["org_acme", job.pk]
    )


def _said(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _status(world, job: OrgJob) -> str:  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        return OrgJob.objects.get(pk=job.pk).status


def test_a_queued_task_is_cancelled_with_its_queue_record_and_audited(
    org_client, world, django_capture_on_commit_callbacks
):
    job = _queued(world, django_capture_on_commit_callbacks)
    assert _task_record(job).status == TaskResultStatus.READY

    response = org_client(world.acme, world.ann).post(f"/tasks/{job.pk}/cancel/")

    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert _said(response) == f"Task #{job.pk} (Users CSV import) was cancelled."
    assert _status(world, job) == JobStatus.CANCELLED
    assert _task_record(job).status == TaskResultStatus.FAILED  # no worker takes it
    with in_schema(world.acme):
        entry = AuditEntry.objects.get(action="task.cancelled")
        assert (entry.actor_email, entry.after) == ("ann@acme.test", {"status": "Cancelled"})
        assert execute_job(job.pk) is None  # a worker that had picked it up claims nothing


def test_a_running_task_cannot_be_cancelled_and_says_so(
    org_client, world, django_capture_on_commit_callbacks
):
    job = _queued(world, django_capture_on_commit_callbacks)
    with in_schema(world.acme):
        OrgJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)

    response = org_client(world.acme, world.ann).post(f"/tasks/{job.pk}/cancel/")

    assert _said(response).startswith(
        f"Task #{job.pk} (Users CSV import) is already running and cannot be cancelled"
    )
    assert _status(world, job) == JobStatus.RUNNING


def test_a_read_only_admin_cannot_cancel_a_task(
    org_client, world, django_capture_on_commit_callbacks
):
    job = _queued(world, django_capture_on_commit_callbacks)

    response = org_client(world.acme, world.rita).post(f"/tasks/{job.pk}/cancel/")

    assert response.status_code == 403
    assert _status(world, job) == JobStatus.QUEUED


def test_only_a_role_that_may_start_a_kind_cancels_it(
    org_client, world, django_capture_on_commit_callbacks
):
    workspaces = _queued(world, django_capture_on_commit_callbacks, CallingJob.WORKSPACE_CSV)
    user_admin = org_client(world.acme, world.uma)  # users yes, workspaces (org set-up) no

    refused = user_admin.post(f"/tasks/{workspaces.pk}/cancel/")
    listing = user_admin.get("/tasks/").content.decode()

    assert refused.status_code == 403
    assert _status(world, workspaces) == JobStatus.QUEUED
    assert f'action="/tasks/{workspaces.pk}/cancel/"' not in listing


def test_the_tasks_page_offers_cancel_only_on_queued_tasks(
    org_client, world, django_capture_on_commit_callbacks
):
    queued = _queued(world, django_capture_on_commit_callbacks)
    with in_schema(world.acme):
        done = OrgJob.objects.create(kind="user_csv", status=JobStatus.DONE)

    listing = org_client(world.acme, world.ann).get("/tasks/").content.decode()
    read_only = org_client(world.acme, world.rita).get("/tasks/").content.decode()

    assert f'action="/tasks/{queued.pk}/cancel/"' in listing
    assert f'action="/tasks/{done.pk}/cancel/"' not in listing
    assert "/cancel/" not in read_only


def test_another_orgs_task_is_not_found(org_client, world, django_capture_on_commit_callbacks):
    job = _queued(world, django_capture_on_commit_callbacks)

    response = org_client(world.initech, world.ian).post(f"/tasks/{job.pk}/cancel/")

    assert response.status_code == 404
    assert _status(world, job) == JobStatus.QUEUED


def test_the_api_cancels_a_queued_task_and_refuses_a_running_one(
    org_client, world, django_capture_on_commit_callbacks
):
    queued = _queued(world, django_capture_on_commit_callbacks)
    client = org_client(world.acme, world.ann)

    cancelled = client.post(f"/api/tasks/{queued.pk}/cancel/")
    again = client.post(f"/api/tasks/{queued.pk}/cancel/")
    read_only = org_client(world.acme, world.rita).post(f"/api/tasks/{queued.pk}/cancel/")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409 and again.json()["code"] == "task_not_cancellable"
    assert read_only.status_code == 403


def test_who_has_no_role_here_is_refused_alike_whether_or_not_the_task_exists(
    org_client, world, client, django_capture_on_commit_callbacks
):
    job = _queued(world, django_capture_on_commit_callbacks)
    signed_out = org_client(world.acme, world.ann)
    signed_out.logout()
    stranger = org_client(world.acme, world.ian)  # Initech's admin on Acme's host

    for who in (signed_out, stranger):
        for url in (f"/api/tasks/{job.pk}/cancel/", f"/tasks/{job.pk}/cancel/"):
            existing = who.post(url).status_code
            missing = who.post(url.replace(str(job.pk), str(job.pk + 1000))).status_code
            assert existing == missing and existing in (302, 401, 403), (url, existing, missing)
    assert _status(world, job) == JobStatus.QUEUED
