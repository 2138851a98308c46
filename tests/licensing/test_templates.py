from __future__ import annotations

import pytest

from licensing import catalogue, selectors
from licensing.errors import TemplateConflict
from licensing.models import Group, OrgUser
from licensing.services.templates import (
    apply_templates_to_new_users,
    create_template,
    licenses_from_templates,
    template_for,
)
from licensing.services.users import UserEntry, add_users, create_user
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db
BASIC = set(catalogue.BASIC_LICENSES)


def _types(user: OrgUser) -> set[str]:
    return selectors.license_types_held([user.pk])[user.pk]


def test_new_user_gets_the_org_template(acme):
    create_template(
        name="Everyone", lines=[line("webex_meetings"), line("cc_standard")], actor=ACTOR
    )

    result = add_users(entries=[UserEntry(email="new@acme.test")], package_line=None, actor=ACTOR)

    assert _types(result.created[0].user) == {"webex_meetings", "cc_standard", *BASIC}


def test_group_template_wins_over_org_template(acme):
    sales = Group.objects.create(name="Sales")
    org = create_template(name="Everyone", lines=[line("webex_meetings")], actor=ACTOR)
    group = create_template(name="Sales", group=sales, lines=[line("cc_standard")], actor=ACTOR)
    user = OrgUser.objects.create(email="seller@acme.test")
    user.groups.add(sales)
    outsider = OrgUser.objects.create(email="other@acme.test")

    assert template_for(user) == group
    assert template_for(outsider) == org
    apply_templates_to_new_users(users=[user, outsider], actor=ACTOR)
    assert _types(user) == {"cc_standard", *BASIC}
    assert _types(outsider) == {"webex_meetings", *BASIC}


def test_premium_wins_when_two_group_templates_give_both_contact_center_licenses(acme):
    a, b = Group.objects.create(name="A"), Group.objects.create(name="B")
    create_template(name="A", group=a, lines=[line("cc_standard")], actor=ACTOR)
    create_template(name="B", group=b, lines=[line("cc_premium")], actor=ACTOR)
    user = OrgUser.objects.create(email="agent@acme.test")
    user.groups.add(a, b)

    lines = licenses_from_templates([user])[user.pk]

    assert [lt.license_type for lt in lines] == ["cc_premium"]


def test_explicit_package_wins_over_template_package(acme):
    create_template(
        name="Everyone", lines=[line("webex_calling"), line("cc_standard")], actor=ACTOR
    )

    user = create_user(email="pick@acme.test", package_line=line("webex_meetings"), actor=ACTOR)

    assert _types(user) == {"webex_meetings", "cc_standard", *BASIC}


def test_template_with_two_packages_is_refused(acme):
    with pytest.raises(TemplateConflict) as error:
        create_template(
            name="Bad", lines=[line("webex_meetings"), line("webex_suite")], actor=ACTOR
        )

    assert error.value.message == (
        "A template gives at most one package (a user holds one package); "
        "choose one of: Webex Meetings, Webex Suite."
    )


def test_second_org_level_template_is_refused(acme):
    create_template(name="Everyone", lines=[], actor=ACTOR)

    with pytest.raises(TemplateConflict) as error:
        create_template(name="Again", lines=[], actor=ACTOR)

    assert error.value.message == (
        "There is already a template for the organisation; edit that one instead."
    )


def test_template_with_calling_makes_manual_add_ask_for_calling_details(acme):
    create_template(name="Everyone", lines=[line("webex_calling")], actor=ACTOR)

    result = add_users(entries=[UserEntry(email="new@acme.test")], package_line=None, actor=ACTOR)

    [failed] = result.failed
    assert failed.reason == (
        "Webex Calling [Sub-100234] includes calling: give a location and an extension "
        "and/or a phone number."
    )
