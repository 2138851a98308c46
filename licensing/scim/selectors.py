"""Reads for SCIM: pages of users and groups (a fixed number of queries per page,
whatever its size) and single resources. Another org's id is simply not found: each
org's users live in its own schema."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from licensing.models import Group, OrgUser
from licensing.scim.errors import ScimError
from licensing.scim.filters import group_filter, user_filter
from licensing.scim.models import ScimGroup
from licensing.scim.protocol import resource_id
from licensing.scim.resources import group_resource, user_resource
from partnerhub.bulk import among


def _pk(raw: str, what: str) -> int:
    pk = resource_id(raw)
    if pk is None:
        raise ScimError(404, f"No {what} with id {raw[:40]} in this org.")
    return pk


def user_pk(raw: str) -> int:
    return _pk(raw, "user")


def group_pk(raw: str) -> int:
    return _pk(raw, "group")


def user_page(filter_text: str, *, start: int, count: int) -> tuple[int, list[OrgUser]]:
    users = OrgUser.objects.all()
    if filter_text.strip():
        users = users.filter(user_filter(filter_text)).distinct()
    total = users.count()
    if count == 0:
        return total, []
    return total, list(users.select_related("scim").order_by("pk")[start - 1 : start - 1 + count])


def _groups_of(user_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        OrgUser.groups.through.objects.filter(orguser_id__in=among(user_ids))
        .order_by("group_id")
        .values_list("orguser_id", "group_id", "group__name")
    )
    for user_id, group_id, name in rows:
        found[user_id].append((group_id, name))
    return found


def user_resources(users: Sequence[OrgUser], *, base: str) -> list[dict]:
    groups = _groups_of([u.pk for u in users])
    return [user_resource(u, base=base, groups=groups.get(u.pk, [])) for u in users]


def user_resource_of(user_id: int, *, base: str) -> dict:
    user = OrgUser.objects.select_related("scim").filter(pk=user_id).first()
    if user is None:
        raise ScimError(404, f"No user with id {user_id} in this org.")
    return user_resources([user], base=base)[0]


def created_user_resource(user: OrgUser, *, base: str) -> dict:
    """The resource of a user ``services.create_users`` just returned (its SCIM record
    attached, in no group yet — SCIM sets groups through Groups): nothing is read."""
    return user_resource(user, base=base, groups=[])


def user_for_update(raw: str) -> OrgUser:
    user = (
        OrgUser.objects.select_for_update(of=("self",))
        .select_related("scim")
        .filter(pk=user_pk(raw))
        .first()
    )
    if user is None:
        raise ScimError(404, f"No user with id {raw} in this org.")
    return user


def group_page(filter_text: str, *, start: int, count: int) -> tuple[int, list[Group]]:
    groups = Group.objects.all()
    if filter_text.strip():
        groups = groups.filter(group_filter(filter_text)).distinct()
    total = groups.count()
    if count == 0:
        return total, []
    return total, list(groups.order_by("pk")[start - 1 : start - 1 + count])


def group_resources(groups: Sequence[Group], *, base: str, members: bool = True) -> list[dict]:
    ids = [g.pk for g in groups]
    external = dict(
        ScimGroup.objects.filter(group_id__in=among(ids)).values_list("group_id", "external_id")
    )
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if members:
        rows = (
            OrgUser.groups.through.objects.filter(group_id__in=among(ids))
            .order_by("orguser_id")
            .values_list("group_id", "orguser_id", "orguser__email")
        )
        for group_id, user_id, email in rows:
            found[group_id].append((user_id, email))
    return [
        group_resource(
            g, base=base, members=found.get(g.pk, []), external_id=external.get(g.pk, "")
        )
        for g in groups
    ]


def group_resource_of(group_id: int, *, base: str) -> dict:
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise ScimError(404, f"No group with id {group_id} in this org.")
    return group_resources([group], base=base)[0]


def group_for_update(raw: str) -> Group:
    group = Group.objects.select_for_update().filter(pk=group_pk(raw)).first()
    if group is None:
        raise ScimError(404, f"No group with id {raw} in this org.")
    return group
