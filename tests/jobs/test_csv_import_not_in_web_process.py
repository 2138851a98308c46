"""Background work goes through the tasks API, never a thread of the web process:
an upload on the page or the API only queues the import; the worker runs it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing.models import OrgUser
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.conftest import in_schema
from tests.jobs.queue import drain_queue
from tests.licensing.test_csv_import import csv_of, meetings_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/users/csv/", "/api/users/csv/"])
def test_an_upload_only_queues_the_import_and_the_worker_runs_it(
    org_client, world, django_capture_on_commit_callbacks, url
):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        content = csv_of(*(meetings_user(f"u{i}@acme.test") for i in range(5)))
    with django_capture_on_commit_callbacks(execute=True):
        file = SimpleUploadedFile("u.csv", content)
        response = client.post(url, {"file": file, "mode": "add"})
    assert response.status_code in (302, 202), response.content
    with in_schema(world.acme):
        assert OrgJob.objects.get().status == JobStatus.QUEUED
        assert not OrgUser.objects.exists()
    drain_queue()  # the worker's part (run here by the test)
    with in_schema(world.acme):
        assert OrgJob.objects.get().status == JobStatus.DONE
        assert OrgUser.objects.count() == 5
