"""SCIM's e-mail / userName check in one statement (``check_new_users``): a taken
e-mail or userName, in any case and with non-ASCII letters, is a 409 with nothing
written; an e-mail of another org is still refused by the cross-org rule."""

from __future__ import annotations

import pytest
from django.db import connection

from customers.models import UserEmailClaim
from licensing.models import OrgUser
from licensing.scim.models import ScimUser
from licensing.scim.resources import UserData
from licensing.scim.services import check_new_users
from partnerhub.audit.models import AuditEntry
from tests.licensing.scim.conftest import user_body

pytestmark = pytest.mark.django_db


def _written() -> tuple[int, int, int, int]:
    return (OrgUser.objects.count(), ScimUser.objects.count(), AuditEntry.objects.count(),
            UserEmailClaim.objects.count())  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second"),
    [("josé.ñandú", "JOSÉ.ÑANDÚ"), ("Ärger.Öl", "ärger.öl"), ("kim.berg", "KIM.Berg")],
)
def test_a_username_taken_in_another_case_is_a_conflict_and_nothing_is_written(scim, first, second):
    body = user_body("one@example.com")
    body["userName"] = first
    assert scim.post("Users", body).status_code == 201
    before = _written()
    body = user_body("two@example.com")
    body["userName"] = second

    response = scim.post("Users", body)

    assert response.status_code == 409, response.content
    assert response.json()["scimType"] == "uniqueness"
    assert _written() == before
    assert scim.post("Users", user_body("three@example.com")).status_code == 201


@pytest.mark.parametrize("name", ['o"brien\\x', "a,b {c}", "NULL", " kim  berg "])
def test_a_username_of_array_syntax_characters_taken_again_is_a_conflict(scim, name):
    # The names go to PostgreSQL as one array text (partnerhub.bulk.pg_array): quotes,
    # backslashes, commas, braces, the word NULL and blanks are the name's own letters.
    body = user_body("one@example.com")
    body["userName"] = name
    assert scim.post("Users", body).status_code == 201, name
    before = _written()
    body = user_body("two@example.com")
    body["userName"] = name.upper()

    response = scim.post("Users", body)

    assert response.status_code == 409, response.content
    assert response.json()["scimType"] == "uniqueness"
    assert _written() == before
    body = user_body("three@example.com")
    body["userName"] = name + "x"
    assert scim.post("Users", body).status_code == 201


def test_an_email_of_another_org_is_refused_and_nothing_is_half_written(scim, world):
    from licensing.services.users import UserEntry, add_users
    from partnerhub.tenancy import in_org
    from tests.licensing.conftest import ACTOR

    with in_org(world.globex):
        add_users(entries=[UserEntry(email="gina.x@globex.test")], package_line=None, actor=ACTOR)
    before = _written()

    response = scim.post("Users", user_body("Gina.X@Globex.test"))

    assert response.status_code == 409, response.content
    assert "another organisation" in response.json()["detail"]
    assert _written() == before


@pytest.mark.parametrize("name", ["straße.x", "ﬁsh.ﬂy", "ǆemal"])
def test_a_username_sent_again_whose_capitals_python_spells_differently_is_a_conflict(scim, name):
    # Python's upper("ß") is "SS", PostgreSQL's (and its unique index's) keeps "ß":
    # the check compares as the index does, so this is a 409, not a broken constraint.
    body = user_body("one@example.com")
    body["userName"] = name
    assert scim.post("Users", body).status_code == 201
    before = _written()
    body = user_body("two@example.com")
    body["userName"] = name

    response = scim.post("Users", body)

    assert response.status_code == 409, response.content
    assert response.json()["scimType"] == "uniqueness"
    assert _written() == before


def test_a_put_giving_a_username_the_index_holds_for_another_user_is_a_conflict(scim):
    # "straße.x" → "STRASSE.X" is no change to Python's upper, but is to PostgreSQL's:
    # it is checked, and meets "strasse.x" of another user.
    other = user_body("one@example.com")
    other["userName"] = "strasse.x"
    assert scim.post("Users", other).status_code == 201
    body = user_body("two@example.com")
    body["userName"] = "straße.x"
    user_id = scim.post("Users", body).json()["id"]
    before = _written()
    body["userName"] = "STRASSE.X"

    response = scim.put(f"Users/{user_id}", body)

    assert response.status_code == 409, response.content
    assert _written() == before
    assert scim.get(f"Users/{user_id}").json()["userName"] == "straße.x"


def test_the_username_check_looks_names_up_in_the_index_not_every_scim_user_in_id_order(scim):
    # A Bulk request's 1,000 names against the org's SCIM users: the plan must not
    # walk the primary key comparing each user with the whole array (it grew with the
    # org: 65 ms at 5,000 users); the table is looked up by name (its index, or a scan
    # of a table this small). Statistics are those of a table never analysed.
    operations = [
        {"method": "POST", "path": "/Users", "bulkId": f"u{n}",
         "data": user_body(f"u{n}@example.com")}
        for n in range(30)
    ]  # fmt: skip
    scim.post(
        "Bulk",
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
         "Operations": operations},
    )  # fmt: skip
    plans: list[str] = []

    def explain(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.startswith("SELECT (SELECT email"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.extend(row[0] for row in cursor.fetchall())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        check_new_users([UserData(email=e, user_name=e) for e in _new_emails(1000)])

    scim_plan = "\n".join(line[:120] for line in plans if "scimuser" in line)
    assert "licensing_scimuser_pkey" not in scim_plan, scim_plan


def _new_emails(count: int) -> list[str]:
    return [f"new{n}@example.com" for n in range(count)]
