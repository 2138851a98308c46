"""The user CSV when something goes wrong: every row error is reported with its row
number and nothing is applied; a failure met only while writing ends the import
cleanly — nothing applied, the connection usable."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from customers.models import UserEmailClaim
from licensing.csv import columns as col
from licensing.csv.imports import import_users
from licensing.models import LicenseAssignment, OrgUser
from partnerhub.audit.models import AuditEntry
from tests.licensing.conftest import ACTOR
from tests.licensing.test_included_licenses import csv_of, new_row

pytestmark = pytest.mark.django_db


def rows(count: int, **bad: dict[str, str]) -> list[dict[str, str]]:
    """``count`` new users; ``bad``: cells of row ``u<n>`` (by e-mail name)."""
    return [new_row(f"u{n}@acme.test", **bad.get(f"u{n}", {})) for n in range(count)]


def nothing_applied() -> bool:
    return not (
        OrgUser.objects.exists()
        or LicenseAssignment.objects.filter(user__isnull=False).exists()
        or UserEmailClaim.objects.filter(email__endswith="@acme.test").exists()
        or AuditEntry.objects.filter(action__startswith="user.csv_").exists()
    )


def test_errors_in_the_first_and_last_chunks_are_all_reported_and_nothing_applied(acme):
    bad = {"u1": {col.JABBER_TEAMS: "perhaps"}, "u6": {col.JABBER_CALLING: "maybe"}}
    result = import_users(content=csv_of(*rows(7, **bad)), actor=ACTOR)

    assert not result.applied
    assert result.plan.errors == [
        "row 3, column Jabber with Webex Teams: 'perhaps' is not TRUE or FALSE.",
        "row 8, column Jabber Calling: 'maybe' is not TRUE or FALSE.",
    ]
    assert nothing_applied()


def test_an_error_late_in_the_file_applies_nothing(acme):
    bad = {"u8": {col.JABBER_CALLING: "maybe"}}
    result = import_users(content=csv_of(*rows(9, **bad)), actor=ACTOR)

    assert result.plan.errors == ["row 10, column Jabber Calling: 'maybe' is not TRUE or FALSE."]
    assert not result.applied and nothing_applied()


@pytest.fixture
def refused_insert(acme):
    """The database refuses the user u3 (as a unique index raced by another
    transaction would): a failure met only while writing."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_u3() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.email = 'u3@acme.test' THEN RAISE unique_violation USING MESSAGE = "
            "'raced'; END IF; RETURN NEW; END $$; CREATE TRIGGER refuse_u3 BEFORE INSERT "
            f"ON {OrgUser._meta.db_table} FOR EACH ROW EXECUTE FUNCTION refuse_u3()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER refuse_u3 ON {OrgUser._meta.db_table}")


def test_a_failure_while_writing_applies_nothing_and_the_connection_works(acme, refused_insert):
    with pytest.raises(IntegrityError, match="raced"):
        import_users(content=csv_of(*rows(7)), actor=ACTOR)

    assert connection.in_atomic_block and not connection.needs_rollback
    assert nothing_applied()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER refuse_u3 ON {OrgUser._meta.db_table}")
        cursor.execute(f"CREATE TRIGGER refuse_u3 BEFORE INSERT ON {OrgUser._meta.db_table} "
                       "FOR EACH ROW EXECUTE FUNCTION refuse_u3()")  # fmt: skip
    again = import_users(content=csv_of(*rows(7)[4:]), actor=ACTOR)
    assert again.applied and OrgUser.objects.count() == 3
