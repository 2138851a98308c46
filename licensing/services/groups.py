"""Groups of users: what group templates apply to (SPEC §5)."""

from __future__ import annotations

from django.db import transaction

from licensing.errors import InvalidUserEntry
from licensing.models import Group
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.rules import validated_name

MAX_GROUP_NAME = 120


def group_name(raw: str) -> str:
    """A group's name as kept: trimmed, on one line, no control character, at most
    ``MAX_GROUP_NAME`` characters (``partnerhub.rules``, as every other name; only a
    user's display name may hold a line break). Blank or refused → ``InvalidUserEntry``
    / ``InvalidName`` on ``name``, saying how to fix it."""
    name = validated_name(raw or "", label="Group name", max_length=MAX_GROUP_NAME, field="name")
    if not name:
        raise InvalidUserEntry("Give the group a name.", field="name")
    return name


@transaction.atomic
def create_group(*, name: str, actor: Actor) -> Group:
    name = group_name(name)
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
