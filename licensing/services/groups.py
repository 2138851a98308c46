"""Groups of users: what group templates apply to (SPEC §5)."""

from __future__ import annotations

from django.db import transaction

from licensing.errors import InvalidUserEntry
from licensing.models import Group
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor


@transaction.atomic
def create_group(*, name: str, actor: Actor) -> Group:
    name = name.strip()
    if not name:
        raise InvalidUserEntry("Give the group a name.", field="name")
    if Group.objects.filter(name__iexact=name).exists():
        raise InvalidUserEntry(f"There is already a group called {name}.", field="name")
    group = Group.objects.create(name=name)
    audit.record(actor=actor, action=AuditAction.GROUP_CREATED, target=group)
    return group


@transaction.atomic
def delete_group(*, group: Group, actor: Actor) -> None:
    """Its template goes with it; its users stay (and fall back to the org template
    for users created later)."""
    audit.record(
        actor=actor, action=AuditAction.GROUP_DELETED, target=group, before={"name": group.name}
    )
    group.delete()
