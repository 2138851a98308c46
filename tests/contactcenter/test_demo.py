"""The contact-center demo data (``manage.py demo``)."""

from __future__ import annotations

from contactcenter.demo import load_demo
from contactcenter.models import Agent, RosterEntry


def test_demo_leaves_one_invalid_agent_and_is_idempotent(acme, actor) -> None:
    load_demo(customer=acme, actor=actor)
    load_demo(customer=acme, actor=actor)
    statuses = dict(Agent.objects.values_list("user__email", "sync_status"))
    assert statuses == {
        "maria.lopez@acme.example": "synced",
        "li.wei@acme.example": "synced",
        "omar.haddad@acme.example": "synced",
        "sofia.rossi@acme.example": "invalid",
    }
    maria = Agent.objects.get(user__email="maria.lopez@acme.example")
    assert (maria.role, maria.is_admin) == ("supervisor", True)
    assert RosterEntry.objects.count() == 3
