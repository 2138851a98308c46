"""Races of the calling app's bulk paths with a single admin, with real commits
(tests/committed.py): the database decides, nobody's work is overwritten."""

from __future__ import annotations

import threading

import pytest

from calling.models import Location, PhoneNumber, Workspace
from calling.services.directory import DirectoryEntry, sync_directory
from calling.services.profiles import CallingDetails, provision_user_calling
from customers.services import SubscriptionSpec
from licensing.models import LicenseAssignment, OrgUser, Subscription, SubscriptionLine
from licensing.services.licenses import assign_license
from licensing.services.subscriptions import cancel_subscription
from licensing.services.templates import create_template
from partnerhub.errors import DomainError
from tests.committed import ACTOR, in_org, race, throwaway_org


def _number_and_template(slug: str) -> int:
    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    PhoneNumber.objects.create(e164="+4722000001", location=oslo)
    create_template(
        name="Everyone calls",
        lines=[SubscriptionLine.objects.get(license_type="webex_calling")],
        actor=ACTOR,
    )
    return OrgUser.objects.create(email=f"manual@{slug}.test").pk


@pytest.mark.django_db
def test_an_admin_cannot_take_a_number_a_running_directory_sync_has_chosen(world, monkeypatch):
    """The sync picks the number, then (held here up to 2 s) writes; the admin trying
    to assign it in between waits for the sync's row lock and then finds it taken."""
    import calling.services.provisioning as provisioning

    chosen, admin_done = threading.Event(), threading.Event()
    write_profiles = provisioning._create_profiles

    def held_write(numbers):  # type: ignore[no-untyped-def]
        chosen.set()
        admin_done.wait(timeout=2)
        write_profiles(numbers)

    monkeypatch.setattr(provisioning, "_create_profiles", held_write)
    with throwaway_org(
        world, prefix="dirrace", prepare=_number_and_template,
        subscriptions=[SubscriptionSpec("Sub-1", {"webex_calling": 5})],
    ) as (org, manual_id):  # fmt: skip

        def directory() -> None:
            sync_directory(
                entries=[DirectoryEntry("dir@example.test", work_phone="+4722000001")],
                actor=ACTOR,
            )

        def admin() -> None:
            chosen.wait(timeout=10)
            try:
                provision_user_calling(
                    user=OrgUser.objects.get(pk=manual_id),
                    details=CallingDetails(location=Location.objects.get(), number="+4722000001"),
                    actor=ACTOR,
                )
            finally:
                admin_done.set()

        outcomes = race(org, [directory, admin], DomainError)

        assert outcomes.count("done") == 1
        assert "Phone number +4722000001 is already assigned: choose a free number." in outcomes
        holder = in_org(org, lambda: PhoneNumber.objects.get(e164="+4722000001").profile.user.email)
        assert holder == "dir@example.test"


def _workspace(slug: str) -> int:
    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    return Workspace.objects.create(name="Lobby", location=oslo).pk


@pytest.mark.django_db
def test_a_cancel_and_a_calling_assignment_at_once_never_leave_calling_on_a_cancelled_subscription(
    world,
):
    with throwaway_org(
        world, prefix="cxrace", prepare=_workspace,
        subscriptions=[SubscriptionSpec("Sub-9", {"workspace_calling": 5})],
    ) as (org, workspace_id):  # fmt: skip

        def cancel() -> None:
            cancel_subscription(
                subscription=Subscription.objects.get(external_id="Sub-9"), actor=ACTOR
            )

        def assign() -> None:
            assign_license(
                line=SubscriptionLine.objects.get(license_type="workspace_calling"),
                workspace=Workspace.objects.get(pk=workspace_id),
                actor=ACTOR,
            )

        race(org, [cancel, assign], DomainError)

        status, held = in_org(
            org,
            lambda: (
                Subscription.objects.get(external_id="Sub-9").status,
                LicenseAssignment.objects.filter(line__subscription__external_id="Sub-9").count(),
            ),
        )
        assert (status, held) in {("cancelled", 0), ("active", 1)}


def _location(slug: str) -> int:
    return Location.objects.create(name="Oslo", country="NO", is_default=True).pk


@pytest.mark.django_db
def test_two_admins_naming_a_workspace_alike_at_once_one_is_told_the_name_is_taken(world):
    from calling.workspaces.services import create_workspace

    with throwaway_org(
        world, prefix="wsname", prepare=_location,
        subscriptions=[SubscriptionSpec("Sub-1", {"workspace_calling": 1})],
    ) as (org, location_id):  # fmt: skip

        def named(name: str):  # type: ignore[no-untyped-def]
            def attempt() -> None:
                create_workspace(
                    name=name, location=Location.objects.get(pk=location_id), actor=ACTOR
                )

            return attempt

        outcomes = race(org, [named("Lobby"), named("lobby")], DomainError)

        assert sorted(o.replace("lobby", "Lobby") for o in outcomes) == [
            "A workspace named 'Lobby' already exists: choose another name.",
            "done",
        ]
        assert in_org(org, Workspace.objects.count) == 1
