"""The one path that writes users (licensing/services/bulk_users.py): every caller —
manual add, the CSV, directory sync, SCIM — gets the same claim, name rule and audit."""

from __future__ import annotations

import pytest

from customers.errors import EmailInAnotherOrg
from customers.models import UserEmailClaim
from licensing.models import OrgUser
from licensing.services.bulk_users import NewUser, create_users, display_name_for, update_users
from partnerhub.audit.models import AuditEntry
from tests.committed import ACTOR
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def test_the_display_name_is_the_given_one_else_first_and_last_name():
    assert display_name_for(first_name=" Kim ", last_name="Lee") == "Kim Lee"
    assert display_name_for(first_name="Kim", last_name="", display_name="") == "Kim"
    assert display_name_for(first_name="Kim", last_name="Lee", display_name="K. Lee") == "K. Lee"


def test_created_users_claim_their_emails_and_are_audited(acme):
    ids = create_users(
        users=[NewUser(email="kim@acme.test", first_name="Kim", last_name="Lee"),
               NewUser(email="lee@acme.test", display_name="Lee")],  # fmt: skip
        actor=ACTOR, audit_action="user.created_by_scim",
    )  # fmt: skip
    users = {u.pk: u for u in OrgUser.objects.all()}
    assert [users[i].email for i in ids] == ["kim@acme.test", "lee@acme.test"]
    assert [users[i].display_name for i in ids] == ["Kim Lee", "Lee"]
    assert set(UserEmailClaim.objects.filter(customer=acme).values_list("email", flat=True)) >= {
        "kim@acme.test",
        "lee@acme.test",
    }
    assert AuditEntry.objects.filter(action="user.created_by_scim").count() == 2


def test_an_email_of_another_orgs_user_refuses_the_whole_batch(world):
    with in_schema(world.initech):
        create_users(users=[NewUser(email="taken@else.test")], actor=ACTOR)
    with in_schema(world.acme):
        with pytest.raises(EmailInAnotherOrg):
            create_users(
                users=[NewUser(email="fine@acme.test"), NewUser(email="taken@else.test")],
                actor=ACTOR,
            )


def test_updates_set_only_the_given_fields_and_are_audited(acme):
    [kim] = create_users(users=[NewUser(email="kim@acme.test", first_name="Kim")], actor=ACTOR)
    update_users(changes={kim: {"last_name": "Lee"}}, actor=ACTOR)
    user = OrgUser.objects.get(pk=kim)
    assert (user.first_name, user.last_name) == ("Kim", "Lee")
    assert AuditEntry.objects.filter(action="user.updated", target_id=str(kim)).exists()


def test_an_update_of_a_field_the_service_does_not_own_is_refused(acme):
    [kim] = create_users(users=[NewUser(email="kim@acme.test")], actor=ACTOR)
    with pytest.raises(ValueError, match="cannot set email"):
        update_users(changes={kim: {"email": "other@acme.test"}}, actor=ACTOR)
    assert OrgUser.objects.get(pk=kim).email == "kim@acme.test"


def test_users_updated_together_keep_the_fields_their_own_change_leaves_out(acme):
    kim, lee = create_users(
        users=[
            NewUser(email="kim@acme.test", first_name="Kim", last_name="Lee"),
            NewUser(email="lee@acme.test", first_name="Lee", last_name="Kim"),
        ],  # fmt: skip
        actor=ACTOR,
    )
    update_users(changes={kim: {"last_name": "Park"}, lee: {"first_name": "Lea"}}, actor=ACTOR)
    names = dict(OrgUser.objects.values_list("email", "first_name"))
    last_names = dict(OrgUser.objects.values_list("email", "last_name"))
    assert names == {"kim@acme.test": "Kim", "lee@acme.test": "Lea"}
    assert last_names == {"kim@acme.test": "Park", "lee@acme.test": "Kim"}


def test_created_users_take_their_ids_from_the_tables_sequence(acme):
    ids = create_users(users=[NewUser(email=f"u{i}@acme.test") for i in range(3)], actor=ACTOR)
    later = OrgUser.objects.create(email="later@acme.test")
    assert len(set(ids)) == 3 and later.pk > max(ids)


def test_users_are_indexed_once_by_email_unique_without_a_like_twin(acme):  # type: ignore[no-untyped-def]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s",
            [OrgUser._meta.db_table],
        )
        on_email = [d for (d,) in cursor.fetchall() if "(email" in d]
    assert len(on_email) == 1 and "UNIQUE" in on_email[0]
