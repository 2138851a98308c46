from __future__ import annotations

import pytest

from customers.models import CustomerSummary, CustomerUsage
from licensing.services.users import UserEntry, add_users
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


def test_usage_summary_is_pushed_after_commit(acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_users(
            entries=[UserEntry(email=f"u{i}@acme.test") for i in range(3)],
            package_line=line("webex_meetings"),
            actor=ACTOR,
        )

    summaries = [c for c in callbacks if getattr(c, "usage_summary_of", None)]
    assert len(summaries) == 1  # once per transaction, however many writes
    assert CustomerSummary.objects.get(customer=acme).user_count == 3
    usage = {u.service: (u.used, u.bought) for u in CustomerUsage.objects.filter(customer=acme)}
    assert usage["webex_meetings"] == (3, 50)
    assert usage["webex_calling"] == (0, 50)


def test_rolled_back_change_pushes_nothing(acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(Exception):  # noqa: B017, PT011
            from django.db import transaction

            with transaction.atomic():
                add_users(entries=[UserEntry(email="x@acme.test")], package_line=None, actor=ACTOR)
                raise RuntimeError("roll back")

    assert not [c for c in callbacks if getattr(c, "usage_summary_of", None)]
