"""The e-mail claim across orgs (SPEC §3): an e-mail belongs to one org's users only.
Many e-mails at once (an import) are claimed by one plain INSERT first; these tests
hold that path to the rule of the careful one."""

from __future__ import annotations

import pytest
from django.db import transaction

from customers.errors import EmailInAnotherOrg
from customers.models import UserEmailClaim
from customers.usage import PLAIN_CLAIMS_FROM, claim_user_emails

MANY = [f"user{i}@claims.test" for i in range(PLAIN_CLAIMS_FROM + 20)]


def _claimed_by(customer) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        UserEmailClaim.objects.filter(
            customer=customer, email__endswith="@claims.test"
        ).values_list("email", flat=True)
    )


def test_many_new_emails_are_all_claimed_lower_cased(db, world):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        claim_user_emails(customer=world.acme, emails=[e.upper() for e in MANY])
    assert _claimed_by(world.acme) == set(MANY)


def test_many_emails_with_one_of_another_org_raise_naming_it(db, world):  # type: ignore[no-untyped-def]
    claim_user_emails(customer=world.initech, emails=[MANY[7]])
    with pytest.raises(EmailInAnotherOrg) as error, transaction.atomic():
        claim_user_emails(customer=world.acme, emails=MANY)
    assert error.value.details["emails"] == [MANY[7]]
    assert _claimed_by(world.acme) == set()
    assert _claimed_by(world.initech) == {MANY[7]}


def test_many_emails_with_some_this_org_holds_claim_the_rest(db, world):  # type: ignore[no-untyped-def]
    claim_user_emails(customer=world.acme, emails=MANY[:3])
    with transaction.atomic():
        claim_user_emails(customer=world.acme, emails=MANY)
    assert _claimed_by(world.acme) == set(MANY)


def test_many_new_emails_are_claimed_by_one_plain_insert(db, world):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        claim_user_emails(customer=world.acme, emails=MANY)
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements == ["SAVEPOINT", "INSERT", "RELEASE"]


def test_claims_are_indexed_once_by_email_unique_without_a_like_twin(db):  # type: ignore[no-untyped-def]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s",
            [UserEmailClaim._meta.db_table],
        )
        on_email = [d for (d,) in cursor.fetchall() if "(email" in d]
    assert len(on_email) == 1 and "UNIQUE" in on_email[0]
