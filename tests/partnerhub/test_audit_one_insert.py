"""``partnerhub.audit.services.one_insert``: a change's audit rows in one statement."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from partnerhub.audit.actions import AuditAction
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.services import (
    Actor,
    Change,
    one_insert,
    record,
    record_many,
    write_held,
)

ACTOR = Actor.system("test")


def _change(target_id: str) -> Change:
    return Change(action=AuditAction.USER_CREATED, target_type="licensing.OrgUser",
                  target_id=target_id)  # fmt: skip


def _written() -> list[str]:
    return list(AuditEntry.objects.filter(actor_email="test").order_by("pk").values_list(
        "target_id", flat=True))  # fmt: skip


def test_rows_held_by_one_insert_are_written_in_one_statement_when_the_block_ends(acme):
    with CaptureQueriesContext(connection) as queries:
        with one_insert():
            record_many(actor=ACTOR, changes=[_change("1")])
            record_many(actor=ACTOR, changes=[_change("2"), _change("3")])
            assert len(queries) == 0  # held
        statements = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
        assert [s.split()[:3] for s in statements] == [["INSERT", "INTO", '"audit_auditentry"']]
    assert _written() == ["1", "2", "3"]


def test_record_inside_one_insert_writes_the_held_rows_first(acme):
    with one_insert():
        record_many(actor=ACTOR, changes=[_change("1")])
        record(actor=ACTOR, action=AuditAction.USER_CREATED, target_type="licensing.OrgUser",
               target_id="2")  # fmt: skip
        record_many(actor=ACTOR, changes=[_change("3")])
    assert _written() == ["1", "2", "3"]


def test_write_held_writes_the_rows_held_so_far_at_once(acme):
    with one_insert():
        record_many(actor=ACTOR, changes=[_change("1"), _change("2")])
        write_held()
        assert _written() == ["1", "2"]  # before an entry written by a statement of its own
        record_many(actor=ACTOR, changes=[_change("3")])
        assert _written() == ["1", "2"]  # held again
    assert _written() == ["1", "2", "3"]


def test_an_exception_out_of_one_insert_writes_none_of_its_rows(acme):
    with pytest.raises(RuntimeError), one_insert():
        record_many(actor=ACTOR, changes=[_change("1")])
        raise RuntimeError("the change fails")
    record_many(actor=ACTOR, changes=[_change("2")])  # after the block: written at once
    assert _written() == ["2"]


def _rows() -> list[tuple]:
    fields = ["actor_id", "actor_email", "acting_as_partner", "customer_schema", "action",
              "target_type", "target_id", "target_repr", "before", "after"]  # fmt: skip
    return list(AuditEntry.objects.filter(actor_email="test-partner").order_by("pk")
                .values_list(*fields))  # fmt: skip


AWKWARD = ['Zoë "Z" O\'Brien', "back\\slash", "two\nlines", "", "tab\tand ✓ 🙂", None, {}]


def test_rows_held_by_one_insert_equal_the_rows_written_at_once(acme):
    actor = Actor(account_id=None, email="test-partner", acting_as_partner="Northwind")
    changes = [
        Change(
            action=AuditAction.USER_UPDATED,
            target_type="licensing.OrgUser",
            target_id=str(i),
            target_repr=str(value or ""),
            before={"display_name": value},
            after={"display_name": value, "nested": [value, {"k": value}]},
        )  # fmt: skip
        for i, value in enumerate(AWKWARD)
    ] + [Change(action=AuditAction.USER_DELETED, target_type="x", target_id="9")]
    record_many(actor=actor, changes=changes)
    at_once = _rows()
    AuditEntry.objects.filter(actor_email="test-partner").delete()
    with one_insert():
        record_many(actor=actor, changes=changes)
    assert _rows() == at_once
    assert at_once[1][-1] == {"display_name": AWKWARD[1], "nested": [AWKWARD[1], {"k": AWKWARD[1]}]}
    assert at_once[-1][-2:] == (None, None)


def test_rows_held_inside_a_rolled_back_savepoint_are_not_written(acme):
    with one_insert():
        record_many(actor=ACTOR, changes=[_change("1")])
        with pytest.raises(RuntimeError), transaction.atomic():
            record_many(actor=ACTOR, changes=[_change("2")])
            raise RuntimeError("this part is rolled back and recovered from")
        record_many(actor=ACTOR, changes=[_change("3")])
    assert _written() == ["1", "3"]
