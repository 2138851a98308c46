"""More writers that give licenses back while drawing others (``line_order``): they
lock every line involved first, in id order, so two of them run together with real
commits never wait for each other in a circle (PostgreSQL's deadlock detection would
fail one of them)."""

from __future__ import annotations

import pytest

from contactcenter.services.manual import set_contact_center
from customers.services import SubscriptionSpec
from licensing import catalogue
from licensing.models import AutoLicenseTemplate, Group, OrgUser, SubscriptionLine
from licensing.services.bulk_users import NewUser, create_users
from tests.committed import ACTOR, in_org, throwaway_org, writers_at_once
from tests.conftest import units_used_differences

pytestmark = pytest.mark.django_db

PAIRS = 6  # of each direction, all at once


def _agents(slug: str) -> dict[str, list[int]]:
    """PAIRS Standard agents and PAIRS Premium agents."""
    agents: dict[str, list[int]] = {}
    for license_type in (catalogue.CC_STANDARD, catalogue.CC_PREMIUM):
        emails = [f"{license_type}{n}@{slug}.test" for n in range(PAIRS)]
        ids = create_users(users=[NewUser(email=e) for e in emails], actor=ACTOR, templates={})
        for user in OrgUser.objects.filter(pk__in=ids):
            set_contact_center(user=user, license_type=license_type, actor=ACTOR)
        agents[license_type] = ids
    return agents


def test_standard_and_premium_agent_changes_in_opposite_directions_never_deadlock(world):
    with throwaway_org(
        world, prefix="agentlocks", prepare=_agents,
        subscriptions=[SubscriptionSpec("Sub-30", {"cc_standard": 50, "cc_premium": 50})],
    ) as (org, agents):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            upgrade, index = divmod(n, PAIRS)
            held, wanted = (
                (catalogue.CC_STANDARD, catalogue.CC_PREMIUM)
                if upgrade
                else (catalogue.CC_PREMIUM, catalogue.CC_STANDARD)
            )
            user = OrgUser.objects.get(pk=agents[held][index])
            return lambda: set_contact_center(user=user, license_type=wanted, actor=ACTOR)

        failures = writers_at_once(org, 2 * PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]


def _workspaces(slug: str) -> dict[str, list[str]]:
    """PAIRS workspaces with calling on each of the two subscriptions' lines."""
    from calling.models import Location
    from calling.workspaces.services import create_workspace
    from licensing.models import SubscriptionLine

    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    names: dict[str, list[str]] = {}
    for subscription in ("Sub-40", "Sub-41"):
        on = SubscriptionLine.objects.get(subscription__external_id=subscription)
        names[subscription] = [f"{subscription} room {n}" for n in range(PAIRS)]
        for n, name in enumerate(names[subscription]):
            extension = f"{4 if subscription == 'Sub-40' else 5}{n:02d}"
            create_workspace(name=name, location=oslo, actor=ACTOR, line=on, extension=extension)
    return names


def _move_by_csv(name: str, extension: str) -> None:
    """The workspaces CSV moves the workspace's license from Sub-40 to Sub-41."""
    from calling.workspaces.csv.imports import import_workspaces

    header = "Workspace Name (Required),Location,Phone Number,Extension,"
    header += "Workspace Calling [Sub-40],Workspace Calling [Sub-41]"
    content = f"{header}\n{name},Oslo,,{extension},FALSE,TRUE\n".encode()
    result = import_workspaces(content=content, actor=ACTOR, mode="add-remove")
    assert result.applied, result.plan.errors


def test_a_workspaces_csv_moving_licenses_and_page_moves_back_never_deadlock(world):
    with throwaway_org(
        world, prefix="wslocks", prepare=_workspaces,
        subscriptions=[SubscriptionSpec("Sub-40", {"workspace_calling": 50}),
                       SubscriptionSpec("Sub-41", {"workspace_calling": 50})],
    ) as (org, names):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            from calling.models import Workspace
            from calling.workspaces.services import move_workspace_license
            from licensing.models import SubscriptionLine

            by_page, index = divmod(n, PAIRS)
            if not by_page:
                return lambda: _move_by_csv(names["Sub-40"][index], f"4{index:02d}")
            # Sub-41 -> Sub-40: move_license locks both lines in id order
            workspace = Workspace.objects.get(name=names["Sub-41"][index])
            to_line = SubscriptionLine.objects.get(subscription__external_id="Sub-40")
            return lambda: move_workspace_license(workspace=workspace, to_line=to_line, actor=ACTOR)

        failures = writers_at_once(org, 2 * PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]


def _line(sub: str, code: str) -> SubscriptionLine:
    return SubscriptionLine.objects.get(subscription__external_id=sub, license_type=code)


def _add_user(email: str, package_line: SubscriptionLine, **choices) -> None:  # type: ignore[no-untyped-def]
    """Manual add of one user with a package (and ``choices``); a user the service
    could not add is a failure of the test."""
    from licensing.services.users import UserEntry, add_users

    result = add_users(
        entries=[UserEntry(email=email)], package_line=package_line, actor=ACTOR, **choices
    )
    if result.failed:
        raise RuntimeError("; ".join(o.reason for o in result.failed))


def _callers_movers_and_switchers(slug: str) -> dict[str, list[int]]:
    """PAIRS users with calling on Sub-50 and PAIRS with its Webex Meetings (the org
    template takes both back and moves meetings to Sub-51), and PAIRS users of a group
    holding Sub-50's Webex Calling without calling data (they switch to Sub-51 at once)."""
    from calling.models import Location
    from calling.services.profiles import CallingDetails
    from licensing.services.licenses import assign_license
    from licensing.services.packages import change_package
    from licensing.services.templates import create_template

    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    calling, meetings = _line("Sub-50", "webex_calling"), _line("Sub-50", "webex_meetings")
    ids: dict[str, list[int]] = {}
    for kind in ("caller", "mover", "switcher"):
        emails = [f"{kind}{n}@{slug}.test" for n in range(PAIRS)]
        ids[kind] = create_users(
            users=[NewUser(email=e) for e in emails], actor=ACTOR, templates={}
        )
    others = Group.objects.create(name="Others")
    create_template(name="Others", group=others, lines=[meetings], actor=ACTOR)
    for n, user in enumerate(OrgUser.objects.filter(pk__in=ids["caller"]).order_by("pk")):
        change_package(
            user=user,
            line=calling,
            actor=ACTOR,
            calling=CallingDetails(location=oslo, extension=f"3{n:02d}"),
        )
    for user in OrgUser.objects.filter(pk__in=ids["mover"]):
        change_package(user=user, line=meetings, actor=ACTOR)
    for user in OrgUser.objects.filter(pk__in=ids["switcher"]):
        user.groups.add(others)
        assign_license(line=calling, user=user, actor=ACTOR)
    create_template(
        name="Everyone",
        lines=[_line("Sub-51", "webex_meetings")],
        actor=ACTOR,
        keep_licenses_for_existing_users=False,
    )
    return ids


def test_apply_to_existing_users_and_package_changes_at_once_never_deadlock(world):
    with throwaway_org(
        world, prefix="tmpllocks", prepare=_callers_movers_and_switchers,
        subscriptions=[SubscriptionSpec("Sub-50", {"webex_calling": 50, "webex_meetings": 50}),
                       SubscriptionSpec("Sub-51", {"webex_meetings": 50})],
    ) as (org, ids):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            from licensing.services.packages import change_package
            from licensing.services.template_apply import apply_template_to_existing

            if n == 0:  # moves Sub-50's meetings to Sub-51, takes calling back
                template = AutoLicenseTemplate.objects.get(name="Everyone")
                return lambda: apply_template_to_existing(
                    template=template, actor=ACTOR, confirmation="Everyone"
                )
            # Sub-50's calling -> Sub-51's meetings: both lines, in id order
            user = OrgUser.objects.get(pk=ids["switcher"][n - 1])
            to = _line("Sub-51", "webex_meetings")
            return lambda: change_package(
                user=user, line=to, actor=ACTOR, confirm_calling_loss=True
            )

        failures = writers_at_once(org, 1 + PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]


def _leavers_and_switchers(slug: str) -> dict[str, list[int]]:
    """PAIRS members of Sales holding its template's Sub-61 meetings (licenses not kept
    on leaving; the org template then gives Sub-60's contact center), and PAIRS users
    holding Sub-60's contact center who take Sub-61's meetings."""
    from licensing.scim.connections import create_connection
    from licensing.services.licenses import assign_license
    from licensing.services.packages import change_package
    from licensing.services.templates import create_template

    contact_center, meetings = _line("Sub-60", "cc_standard"), _line("Sub-61", "webex_meetings")
    sales = Group.objects.create(name="Sales")
    create_template(
        name="Sales", group=sales, lines=[meetings], actor=ACTOR,
        keep_licenses_for_existing_users=False,
    )  # fmt: skip
    leavers = [NewUser(email=f"leaver{n}@{slug}.test") for n in range(PAIRS)]
    ids = {"leaver": create_users(users=leavers, actor=ACTOR)}
    for user in OrgUser.objects.filter(pk__in=ids["leaver"]):
        user.groups.add(sales)
        change_package(user=user, line=meetings, actor=ACTOR)
    create_template(name="Everyone", lines=[contact_center], actor=ACTOR)
    switchers = [NewUser(email=f"switcher{n}@{slug}.test") for n in range(PAIRS)]
    ids["switcher"] = create_users(users=switchers, actor=ACTOR)
    for user in OrgUser.objects.filter(pk__in=ids["switcher"]):
        assign_license(line=contact_center, user=user, actor=ACTOR)
    create_connection(name="Okta", actor=ACTOR)
    return ids


def test_members_leaving_a_scim_group_and_package_changes_at_once_never_deadlock(world):
    with throwaway_org(
        world, prefix="leavelocks", prepare=_leavers_and_switchers,
        subscriptions=[SubscriptionSpec("Sub-60", {"webex_meetings": 50, "cc_standard": 50}),
                       SubscriptionSpec("Sub-61", {"webex_meetings": 50})],
    ) as (org, ids):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            from licensing.scim.models import ScimConnection
            from licensing.scim.services import remove_members
            from licensing.services.packages import change_package

            leaving, index = divmod(n, PAIRS)
            user = OrgUser.objects.get(pk=ids["leaver" if leaving else "switcher"][index])
            if leaving:  # gives Sub-61 back, then the org template draws from Sub-60
                group, okta = Group.objects.get(name="Sales"), ScimConnection.objects.get()
                return lambda: remove_members(group=group, users=[user], connection=okta)
            # holds Sub-60's contact center, takes Sub-61's meetings
            to = _line("Sub-61", "webex_meetings")
            return lambda: change_package(user=user, line=to, actor=ACTOR)

        failures = writers_at_once(org, 2 * PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]


def _template_and_switchers(slug: str) -> list[int]:
    """The org template gives Sub-70's contact center; PAIRS users hold it and take
    Sub-71's meetings below."""
    from licensing.services.licenses import assign_license
    from licensing.services.templates import create_template

    contact_center = _line("Sub-70", "cc_standard")
    create_template(name="Everyone", lines=[contact_center], actor=ACTOR)
    switchers = [NewUser(email=f"switcher{n}@{slug}.test") for n in range(PAIRS)]
    ids = create_users(users=switchers, actor=ACTOR)
    for user in OrgUser.objects.filter(pk__in=ids):
        assign_license(line=contact_center, user=user, actor=ACTOR)
    return ids


def test_users_added_with_a_package_and_package_changes_at_once_never_deadlock(world):
    with throwaway_org(
        world, prefix="addlocks", prepare=_template_and_switchers,
        subscriptions=[SubscriptionSpec("Sub-70", {"webex_meetings": 50, "cc_standard": 50}),
                       SubscriptionSpec("Sub-71", {"webex_meetings": 50})],
    ) as (org, switchers):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            from licensing.services.packages import change_package

            adding, index = divmod(n, PAIRS)
            meetings = _line("Sub-71", "webex_meetings")
            if adding:  # Sub-71's meetings chosen, then the template's Sub-70 license
                return lambda: _add_user(f"new{index}@{org.slug}.test", meetings)
            # holds Sub-70's contact center, takes Sub-71's meetings
            user = OrgUser.objects.get(pk=switchers[index])
            return lambda: change_package(user=user, line=meetings, actor=ACTOR)

        failures = writers_at_once(org, 2 * PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]


def _cc_switchers(slug: str) -> list[int]:
    """PAIRS users holding Sub-80's contact center who take Sub-81's meetings below."""
    from licensing.services.licenses import assign_license

    contact_center = _line("Sub-80", "cc_standard")
    switchers = [NewUser(email=f"switcher{n}@{slug}.test") for n in range(PAIRS)]
    ids = create_users(users=switchers, actor=ACTOR)
    for user in OrgUser.objects.filter(pk__in=ids):
        assign_license(line=contact_center, user=user, actor=ACTOR)
    return ids


def test_users_added_with_a_package_and_contact_center_never_deadlock(world):
    with throwaway_org(
        world, prefix="cclocks", prepare=_cc_switchers,
        subscriptions=[SubscriptionSpec("Sub-80", {"webex_meetings": 50, "cc_standard": 50}),
                       SubscriptionSpec("Sub-81", {"webex_meetings": 50})],
    ) as (org, switchers):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            from licensing.services.packages import change_package
            from licensing.services.users import ContactCenterChoice

            adding, index = divmod(n, PAIRS)
            meetings = _line("Sub-81", "webex_meetings")
            if adding:  # Sub-81's meetings, then Sub-80's contact center
                choice = ContactCenterChoice(license_type="cc_standard")
                email = f"new{index}@{org.slug}.test"
                return lambda: _add_user(email, meetings, contact_center=choice)
            user = OrgUser.objects.get(pk=switchers[index])
            return lambda: change_package(user=user, line=meetings, actor=ACTOR)

        failures = writers_at_once(org, 2 * PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]
