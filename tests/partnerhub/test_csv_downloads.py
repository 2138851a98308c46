"""Every CSV download, page and API (SPEC §4, issue 9 §3): written by the one writer —
UTF-8 with BOM, a file name saying whose and what, ``Cache-Control: no-store``, every
cell spreadsheet-safe."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from contactcenter.services.agent_template import upload_agent_template
from licensing.csv.imports import error_report, import_users
from licensing.models import OrgUser
from partnerhub.audit.services import Actor, record
from partnerhub.jobs import services as jobs
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("downloads test")
EVIL = "=HYPERLINK(1)+cmd|calc"


def _check(response, filename: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "no-store"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def org_downloads(world):  # type: ignore[no-untyped-def]
    """A user, a task and an agent-template upload of Acme, each holding a formula."""
    with in_schema(world.acme):
        OrgUser.objects.create(email="eve@acme.test", display_name=EVIL)
        record(actor=ACTOR, action="test.formula", target_type="x", target_id="1",
               target_repr=EVIL)  # fmt: skip
        bad_row = f"User ID/Email (Required),Display Name\nnot-an-email,{EVIL}\n"
        job = jobs.start_job(kind="user_csv", actor=ACTOR, file_name="users.csv")
        job.error_report = error_report(import_users(content=bad_row.encode(), actor=ACTOR).plan)
        job.save(update_fields=["error_report"])
        template = "Agent Email,Team,Site,Skill Profile,Agent Profile\n"
        upload = upload_agent_template(
            content=f"{template}nobody@acme.test,{EVIL},,,\n".encode(),
            actor=ACTOR,
        )
        assert upload.error_report
    return job, upload


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("/users/csv/export/", "users"),
        ("/api/users/csv/", "users"),
        ("/calling/workspaces/csv/export/", "workspaces"),
        ("/api/calling/workspaces/csv/", "workspaces"),
        ("/contact-center/agent-template/export/", "agent-template"),
        ("/api/contact-center/agent-template/", "agent-template"),
        ("/calling/provisioning-failures.csv", "provisioning-failures"),
        ("/api/calling/provisioning-failures.csv", "provisioning-failures"),
        ("/tasks/{job}/errors.csv", "task-{job}-errors"),
        ("/api/tasks/{job}/errors.csv", "task-{job}-errors"),
        ("/contact-center/agent-template/uploads/{upload}/errors.csv", "agent-template-errors-{upload}"),
        ("/audit/export.csv", "audit-log"),
    ],
)  # fmt: skip
def test_every_org_csv_download_is_named_uncached_utf8_with_bom(
    org_client, world, org_downloads, url: str, what: str
):
    job, upload = org_downloads
    names = {"job": job.pk, "upload": upload.pk}
    client = org_client(world.acme, world.ann)

    rows = _check(
        client.get(url.format(**names)),
        f"acme-{what.format(**names)}-{timezone.localdate().isoformat()}.csv",
    )

    cells = [cell for row in rows for cell in row]
    assert EVIL not in cells  # escaped wherever it appears
    if what in ("users", "task-{job}-errors", "agent-template-errors-{upload}", "audit-log"):
        assert f"'{EVIL}" in cells


def test_org_csv_downloads_are_closed_to_outsiders(org_client, world, org_downloads):
    job, upload = org_downloads
    assert_org_urls_closed_to_outsiders(
        org_client,
        world,
        [
            ("GET", "/audit/"),
            ("GET", "/audit/export.csv"),
            ("GET", "/users/csv/export/"),
            ("GET", f"/tasks/{job.pk}/errors.csv"),
            ("GET", f"/contact-center/agent-template/uploads/{upload.pk}/errors.csv"),
        ],
    )


@pytest.mark.parametrize(
    "url", ["/partner/customers/export.csv", "/api/partner/customers/export.csv"]
)
def test_the_customer_list_download_is_named_uncached_utf8_with_bom(partner_client, world, url):
    from customers.models import Customer

    Customer.objects.filter(pk=world.acme.pk).update(name=EVIL)

    rows = _check(
        partner_client(world.alice).get(url), f"customers-{timezone.localdate().isoformat()}.csv"
    )

    assert f"'{EVIL}" in [row[0] for row in rows[1:]]
