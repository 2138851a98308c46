"""The Tasks page people can read (issue #11): human names, who, when, duration,
counts, report link; failed looks failed; "task #8" in a message is a link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.templatetags.portal import link_tasks
from tests.boundaries import assert_org_urls_closed_to_outsiders

pytestmark = pytest.mark.django_db


STARTED = timezone.now() - dt.timedelta(hours=1)


def _job(**fields: object) -> OrgJob:
    return OrgJob.objects.create(
        **{"kind": "user_csv", "file_name": "people.csv", "actor": {"email": "ann@acme.test"},
           "created_at": STARTED, **fields}
    )  # fmt: skip


def test_tasks_page_names_the_kind_who_and_how_long(org_client, world, acme):
    job = _job(
        status=JobStatus.DONE, counts={"created": 3, "updated": 0},
        finished_at=STARTED + dt.timedelta(seconds=65), rows_total=3, rows_done=3,
    )  # fmt: skip
    html = org_client(world.acme, world.ann).get("/tasks/").content.decode()
    assert f'Users CSV import</span> <span class="text-body-secondary">#{job.pk}</span>' in html
    assert "ann@acme.test" in html
    assert "1 min 5 s" in html
    assert "3 created" in html and "0 updated" not in html


def test_failed_task_bar_is_red(org_client, world, acme):
    job = _job(status=JobStatus.FAILED, failure="The file is empty.")
    html = org_client(world.acme, world.ann).get(f"/tasks/{job.pk}/").content.decode()
    assert "progress-bar bg-danger" in html
    assert 'class="alert alert-danger' in html and "The file is empty." in html


def test_task_mentions_become_links_on_an_org_host(acme):
    html = link_tasks("Wait for task #8 (users.csv) to finish <b>first</b>.")
    assert '<a href="/tasks/8/">task #8</a>' in html
    assert "&lt;b&gt;" in html


def test_tasks_pages_closed_to_outsiders(org_client, world, acme):
    job = _job(status=JobStatus.DONE)
    assert_org_urls_closed_to_outsiders(
        org_client,
        world,
        [("GET", "/tasks/"), ("GET", f"/tasks/{job.pk}/"), ("POST", f"/tasks/{job.pk}/cancel/")],
    )
