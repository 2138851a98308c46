"""The usage summary push in two statements of fixed text (``current_figures``,
``customers.usage.record_usage``): after any change, what the partner sees equals a
full recomputation by the ORM (``org_figures``, ``line_figures``)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from customers.models import CustomerSummary, CustomerUsage, LineUsageDay
from licensing.models import OrgUser, SubscriptionLine
from licensing.services.packages import change_package
from licensing.services.subscriptions import cancel_subscription, suspend_subscription
from licensing.services.summary import (
    current_figures,
    line_figures,
    org_figures,
    push_usage_summary,
)
from licensing.services.users import UserEntry, add_users, delete_users
from partnerhub.tenancy import in_org
from tests.licensing.conftest import ACTOR, line, second_subscription

pytestmark = pytest.mark.django_db


def _pushed(customer) -> tuple:  # type: ignore[no-untyped-def]
    summary = CustomerSummary.objects.get(customer=customer)
    usage = {u.service: (u.used, u.bought) for u in CustomerUsage.objects.filter(customer=customer)}
    days = {
        (d.subscription, d.license_type): (d.used, d.quantity, d.subscription_status,
                                           d.subscription_ends)
        for d in LineUsageDay.objects.filter(customer=customer, day=timezone.localdate())
    }  # fmt: skip
    return summary.user_count, usage, days


def _recomputed(customer) -> tuple:  # type: ignore[no-untyped-def]
    with in_org(customer):
        user_count, services = org_figures()
        lines = line_figures()
        assert current_figures() == (user_count, lines)
    days = {(f.subscription, f.license_type): (f.used, f.quantity, f.status, f.ends) for f in lines}
    return user_count, services, days


def _push_and_compare(customer) -> tuple:  # type: ignore[no-untyped-def]
    push_usage_summary(customer)
    assert _pushed(customer) == _recomputed(customer)
    return _pushed(customer)


def test_pushed_figures_equal_a_full_recomputation_after_every_kind_of_change(acme, world):
    _push_and_compare(acme)
    add_users(entries=[UserEntry(email=f"u{i}@acme.test") for i in range(3)],
              package_line=line("webex_meetings"), actor=ACTOR)  # fmt: skip
    count, usage, _ = _push_and_compare(acme)
    assert count == 3 and usage["webex_meetings"] == (3, 50)
    user = OrgUser.objects.get(email="u0@acme.test")
    change_package(user=user, line=None, actor=ACTOR)
    _, usage, _ = _push_and_compare(acme)
    assert usage["webex_meetings"] == (2, 50)
    delete_users(users=[OrgUser.objects.get(email="u1@acme.test")], actor=ACTOR)
    count, usage, _ = _push_and_compare(acme)
    assert count == 2 and usage["webex_meetings"] == (1, 50)
    extra = second_subscription({"webex_meetings": 7})
    _, usage, days = _push_and_compare(acme)
    assert usage["webex_meetings"] == (1, 57) and ("Sub-100999", "webex_meetings") in days
    suspend_subscription(subscription=extra, actor=ACTOR)
    _, usage, days = _push_and_compare(acme)
    assert usage["webex_meetings"] == (1, 50)  # a suspended subscription buys nothing
    assert days[("Sub-100999", "webex_meetings")][2] == "suspended"  # its line is still listed


def test_lines_of_a_cancelled_subscription_stay_in_the_day_rows_but_not_in_the_usage(acme):
    extra = second_subscription({"webex_calling": 4})
    add_users(entries=[UserEntry(email="c@acme.test")], package_line=line("webex_calling",
              "Sub-100999"), actor=ACTOR)  # fmt: skip
    _push_and_compare(acme)
    cancel_subscription(subscription=extra, actor=ACTOR, confirmation="Sub-100999")
    _, usage, days = _push_and_compare(acme)
    assert usage["webex_calling"][1] == 50
    assert days[("Sub-100999", "webex_calling")][2] == "cancelled"


def test_an_org_with_no_lines_pushes_its_user_count_and_no_usage(acme):
    with in_org(acme):
        SubscriptionLine.objects.all().delete()
    push_usage_summary(acme)
    assert _pushed(acme) == (0, {}, {})
    assert _recomputed(acme) == (0, {}, {})


def test_a_push_of_one_org_leaves_the_other_orgs_of_its_partner_alone(acme, world):
    push_usage_summary(world.globex)
    globex_before = _pushed(world.globex)
    add_users(entries=[UserEntry(email="x@acme.test")], package_line=line("webex_calling"),
              actor=ACTOR)  # fmt: skip
    with in_org(acme):
        SubscriptionLine.objects.filter(license_type="webex_suite").delete()
    _push_and_compare(acme)
    assert _pushed(world.globex) == globex_before == _recomputed(world.globex)
