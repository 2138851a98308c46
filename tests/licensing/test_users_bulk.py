"""The users list for thousands and its bulk actions (issue #11, SPEC §3): sort on
every column, total count, shown-name fallback, and change package / delete /
resend invitation / export selection through the CSV's path with the calling-loss
preview."""

from __future__ import annotations

import pytest
from django.core import mail

from licensing.models import LicenseAssignment, OrgUser, UserStatus
from licensing.services.calling_details import calling_details
from licensing.services.users import create_user
from partnerhub.audit.models import AuditEntry
from partnerhub.jobs.models import OrgJob
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.licensing.conftest import ACTOR, line, second_subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(acme, oslo) -> list[OrgUser]:
    """Three meetings users and one calling user (extension 2001 in Oslo)."""
    users = [
        create_user(email=f"{name}@acme.test", first_name=name.title(), last_name="Doe",
                    package_line=line("webex_meetings"), actor=ACTOR)
        for name in ("amy", "bob", "cat")
    ]  # fmt: skip
    users.append(
        create_user(
            email="dan@acme.test", first_name="Dan", last_name="Doe",
            package_line=line("webex_calling"), actor=ACTOR,
            calling=calling_details(location=oslo, extension="2001"),
        )
    )  # fmt: skip
    return users


def emails(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [u.email for u in response.context["users"]]


@pytest.mark.parametrize(
    "column", ["email", "name", "package", "number", "extension", "location", "status"]
)
def test_every_user_column_sorts_both_ways(org_client, world, people, column):
    client = org_client(world.acme, world.ann)
    for sort in (column, f"-{column}"):
        response = client.get(f"/users/?sort={sort}")
        assert response.status_code == 200
        assert len(emails(response)) == 4


@pytest.mark.parametrize("sort", ["extension", "-extension"])
def test_users_without_calling_sort_last_either_way(org_client, world, people, sort):
    assert (
        emails(org_client(world.acme, world.ann).get(f"/users/?sort={sort}"))[0] == "dan@acme.test"
    )


def test_list_shows_total_and_first_last_when_no_display_name(org_client, world, people):
    OrgUser.objects.filter(email="amy@acme.test").update(display_name="")
    response = org_client(world.acme, world.ann).get("/users/?q=amy")
    assert response.context["page_obj"].paginator.count == 1
    assert response.context["users"][0].shown_name == "Amy Doe"
    assert 'id="user-total">1<' in response.content.decode()


def test_bulk_change_package_starts_one_csv_task(
    org_client, world, people, django_capture_on_commit_callbacks
):
    second_subscription({"webex_meetings": 10})
    client = org_client(world.acme, world.ann)
    ids = [u.pk for u in people[:3]]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/users/bulk/", {
            "action": "change_package", "user": ids,
            "line": line("webex_meetings", "Sub-100999").pk,
        })  # fmt: skip
    job = OrgJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{job.pk}/"
    assert (job.kind, job.params["mode"], job.params["confirm_calling_loss"]) == (
        "user_csv", "add-remove", False,
    )  # fmt: skip
    assert b"amy@acme.test" in bytes(job.content)
    assert b"dan@acme.test" not in bytes(job.content)


def test_bulk_change_away_from_calling_asks_to_confirm_the_loss_first(org_client, world, people):
    client = org_client(world.acme, world.ann)
    response = client.post("/users/bulk/", {
        "action": "change_package", "user": [people[3].pk], "line": line("webex_meetings").pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert "lose their calling data" in response.content.decode() or "loses their calling data" in (
        response.content.decode()
    )
    assert not OrgJob.objects.exists()
    confirmed = client.post("/users/bulk/", {
        "action": "change_package", "user": [people[3].pk], "line": line("webex_meetings").pk,
        "confirmed": "on", "confirm_calling_loss": "on",
    })  # fmt: skip
    assert confirmed.status_code == 302
    assert OrgJob.objects.get().params["confirm_calling_loss"] is True


def test_bulk_change_to_calling_without_numbers_is_refused_with_the_rows_errors(
    org_client, world, people
):
    response = org_client(world.acme, world.ann).post("/users/bulk/", {
        "action": "change_package", "user": [people[0].pk], "line": line("webex_calling").pk,
    })  # fmt: skip
    assert response.status_code == 400
    assert "Webex Calling needs an Extension or a Phone Number." in response.content.decode()
    assert not OrgJob.objects.exists()
    assert (
        LicenseAssignment.objects.get(user=people[0], kind="package").license_type
        == "webex_meetings"
    )


def test_bulk_delete_always_asks_first(org_client, world, people):
    client = org_client(world.acme, world.ann)
    response = client.post("/users/bulk/", {"action": "delete", "user": [people[0].pk]})
    assert response.status_code == 200 and "Delete 1 user" in response.content.decode()
    assert not OrgJob.objects.exists()
    client.post("/users/bulk/", {"action": "delete", "user": [people[0].pk], "confirmed": "on"})
    assert OrgJob.objects.get().params["mode"] == "add-remove"


def test_bulk_change_package_needs_a_package(org_client, world, people):
    response = org_client(world.acme, world.ann).post(
        "/users/bulk/", {"action": "change_package", "user": [people[0].pk]}, follow=True
    )
    assert (
        "Nothing was changed: Choose the package the selected users get."
        in response.content.decode()
    )
    assert not OrgJob.objects.exists()


def test_resend_invitation_to_pending_users_only_is_audited(
    org_client, world, people, django_capture_on_commit_callbacks
):
    OrgUser.objects.filter(pk=people[1].pk).update(status=UserStatus.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        org_client(world.acme, world.ann).post(
            "/users/bulk/", {"action": "resend_invitation", "user": [people[0].pk, people[1].pk]}
        )
    assert [m.to for m in mail.outbox] == [["amy@acme.test"]]
    assert AuditEntry.objects.filter(action="user.invitation_resent").count() == 1


def test_export_selection_has_the_csv_columns_and_only_the_selection(org_client, world, people):
    response = org_client(world.acme, world.ann).post(
        "/users/bulk/", {"action": "export", "user": [people[0].pk]}
    )
    body = response.content.decode()
    assert body.startswith("\ufeffFirst Name,Last Name,Display Name,User ID/Email (Required)")
    assert "amy@acme.test" in body and "bob@acme.test" not in body


def test_export_selection_is_written_by_the_one_csv_writer(org_client, world, people):
    """Like every download (SPEC §4): a BOM, a name saying whose and what, no-store, and
    every cell spreadsheet-safe."""
    OrgUser.objects.filter(pk=people[0].pk).update(first_name="=HYPERLINK(1)")
    response = org_client(world.acme, world.ann).post(
        "/users/bulk/", {"action": "export", "user": [people[0].pk]}
    )
    assert response["Cache-Control"] == "no-store"
    assert "acme-users-selection-" in response["Content-Disposition"]
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_read_only_admin_cannot_run_bulk_actions(org_client, world, people):
    response = org_client(world.acme, world.rita).post(
        "/users/bulk/", {"action": "delete", "user": [people[0].pk], "confirmed": "on"}
    )
    assert response.status_code == 403
    assert not OrgJob.objects.exists()


def test_bulk_url_closed_to_outsiders(org_client, world, people):
    assert_org_urls_closed_to_outsiders(org_client, world, [("POST", "/users/bulk/")])


def test_bulk_change_rows_move_only_the_package_when_applied(org_client, world, people):
    from licensing.csv.imports import import_users

    second_subscription({"webex_meetings": 10})
    new_line = line("webex_meetings", "Sub-100999")
    before = set(
        LicenseAssignment.objects.filter(user=people[0])
        .exclude(kind="package")
        .values_list("license_type", flat=True)
    )
    org_client(world.acme, world.ann).post("/users/bulk/", {
        "action": "change_package", "user": [people[0].pk, people[1].pk], "line": new_line.pk,
    })  # fmt: skip
    result = import_users(
        content=bytes(OrgJob.objects.get().content), actor=ACTOR, mode="add-remove"
    )
    assert result.plan.errors == []
    assert result.plan.counts()["moved"] + result.plan.counts()["updated"] == 2
    assert LicenseAssignment.objects.get(user=people[0], kind="package").line_id == new_line.pk
    assert LicenseAssignment.objects.get(user=people[2], kind="package").line_id != new_line.pk
    after = set(
        LicenseAssignment.objects.filter(user=people[0])
        .exclude(kind="package")
        .values_list("license_type", flat=True)
    )
    assert after == before
