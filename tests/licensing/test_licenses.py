from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from licensing.errors import LicenseTypeMismatch, SubscriptionNotUsable
from licensing.models import LicenseAssignment
from licensing.services.licenses import assign_license, move_license, release_license
from licensing.services.subscriptions import suspend_subscription
from licensing.services.users import create_user
from tests.licensing.conftest import ACTOR, line, second_subscription

pytestmark = pytest.mark.django_db


def test_move_license_changes_only_the_line(acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    target = second_subscription({"webex_meetings": 5}).lines.get()
    before = LicenseAssignment.objects.get(user=user, kind="package")

    move_license(holder=user, from_line=line("webex_meetings"), to_line=target, actor=ACTOR)

    after = LicenseAssignment.objects.get(user=user, kind="package")
    assert (after.pk, after.line_id) == (before.pk, target.pk)


def test_move_license_to_another_type_is_refused(acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    other = second_subscription({"webex_voice": 5}).lines.get()

    with pytest.raises(LicenseTypeMismatch):
        move_license(holder=user, from_line=line("webex_meetings"), to_line=other, actor=ACTOR)

    assert LicenseAssignment.objects.get(user=user, kind="package").line == line("webex_meetings")


def test_no_license_from_suspended_subscription(acme):
    user = create_user(email="pat@acme.test", actor=ACTOR)
    subscription = second_subscription({"cc_standard": 5})
    suspend_subscription(subscription=subscription, actor=ACTOR)

    with pytest.raises(SubscriptionNotUsable) as error:
        assign_license(user=user, line=subscription.lines.get(), actor=ACTOR)

    assert error.value.message == (
        "Sub-100999 is suspended: no licenses can be assigned from it. "
        "Choose a line of an active subscription."
    )
    assert not LicenseAssignment.objects.filter(user=user, line__isnull=False).exists()


def test_release_license_frees_the_unit(acme):
    user = create_user(email="pat@acme.test", actor=ACTOR)
    assign_license(user=user, line=line("cc_standard"), actor=ACTOR)

    release_license(user=user, license_type="cc_standard", actor=ACTOR)

    assert not LicenseAssignment.objects.filter(user=user, license_type="cc_standard").exists()


def test_without_the_holder_indexes_the_database_still_refuses_a_second_package(acme):
    # Migration 0005 dropped the single-column holder indexes, by name: the partial
    # unique indexes of the license rules stay and serve look-ups by holder.
    user = create_user(email="kim@acme.test", actor=ACTOR)
    assign_license(user=user, line=line("webex_meetings"), actor=ACTOR)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "licensing_licenseassignment")
    assert {"user_holds_one_package", "user_holds_license_type_once"} <= set(indexes)

    with pytest.raises(IntegrityError), transaction.atomic():
        LicenseAssignment.objects.create(
            user=user, line=line("webex_calling"), license_type="webex_calling", kind="package"
        )
