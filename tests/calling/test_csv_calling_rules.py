"""The user CSV keeps the rules of one user's calling (SPEC §6), with the single-user
services' wording: the calling-name rule for every row that ends with calling, and
the number caller ID uses. One test per rule; a refused file changes nothing."""

from __future__ import annotations

import pytest

from calling import errors
from calling.models import CallingProfile
from calling.services.profiles import CallingDetails, validated_calling_name
from calling.services.settings import change_user_calling
from licensing.csv import columns as col
from licensing.csv.exports import export_users_csv
from licensing.csv.imports import import_users
from licensing.models import OrgUser
from tests.calling.conftest import ACTOR
from tests.calling.test_csv_calling import calling_row, provisioned, state
from tests.licensing.test_csv_import import csv_of

pytestmark = pytest.mark.django_db
BAD_NAME = "A" * 29 + "#/"
QUOTED = 'Lee "Lou"'


def name_error(name: str) -> str:
    with pytest.raises(errors.InvalidCallingName) as refused:
        validated_calling_name(name, field="first_name")
    return refused.value.message


def test_every_csv_row_ending_with_calling_follows_the_calling_name_rule(oslo):
    provisioned("kim@acme.test", oslo, "1234")
    before = state()
    rename = {col.EMAIL: "kim@acme.test", col.FIRST_NAME: BAD_NAME}
    new = calling_row("lou@acme.test", **{col.EXTENSION: "77", col.LAST_NAME: QUOTED})
    result = import_users(content=csv_of(rename, new), actor=ACTOR)
    assert not result.applied
    assert result.plan.errors == [
        f"row 2, column {col.FIRST_NAME}: {name_error(BAD_NAME)}",
        f"row 3, column {col.LAST_NAME}: {name_error(QUOTED)}",
    ]
    assert name_error(BAD_NAME) == (
        f"'{BAD_NAME}' has 31 characters and contains # /: a calling user's name has at most "
        '30 characters and none of % # < > \\ / ". Shorten or change it.'
    )
    assert state() == before


def test_an_unchanged_name_of_a_calling_user_is_not_rechecked(oslo):
    # Named before the rule applied here: the exported file still imports back.
    provisioned("kim@acme.test", oslo, "1234")
    OrgUser.objects.filter(email="kim@acme.test").update(first_name=BAD_NAME)
    result = import_users(content=export_users_csv().encode(), actor=ACTOR)
    assert result.applied, result.plan.errors


def test_csv_cannot_remove_the_number_that_caller_id_uses(oslo):
    kim = provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    CallingProfile.objects.filter(user=kim).update(settings={"caller_id": "own_number"})
    before = state()
    with pytest.raises(errors.InvalidCallerId) as single_user:
        change_user_calling(
            user=kim, details=CallingDetails(location=oslo, extension="1234"), actor=ACTOR
        )
    row = {col.EMAIL: "kim@acme.test", col.PHONE: "REMOVE"}
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert not result.applied
    assert result.plan.errors == [f"row 2, column {col.PHONE}: {single_user.value.message}"]
    assert state() == before
