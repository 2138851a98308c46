"""Users' basic licenses (SPEC §4, §5): Basic Messaging, Basic Space Meetings and Call
on Webex, included with every org, drawn from no line, stored on the user as a bit
mask (``OrgUser.basic_licenses``; bit i is ``catalogue.BASIC_LICENSES[i]``).

Who gets them: every new user gets the default ones it neither holds nor had settled
by an explicit choice (``included_for_new_users``). Where they are written: with the
user's row (the user CSV, ``NewUser.basic_licenses``), with a new user's template
licenses (``licenses.insert_assignments``), or changed later (``set_basic_licenses``).
Reads: ``licensing.selectors`` (``basic_licenses_of``, ``licenses_of``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from licensing import catalogue
from licensing.models import OrgUser
from partnerhub.bulk import SMALL_BATCH, pg_array
from partnerhub.prepared import hot_cursor

Key = TypeVar("Key", bound=Hashable)


def included_for_new_users(
    *, held: Mapping[Key, set[str]], decided: Mapping[Key, set[str]] | None
) -> dict[Key, list[str]]:
    """The default basic licenses (SPEC §4, §5) each new user neither holds (``held``)
    nor had settled by an explicit choice (``decided``), per key of ``held``: user ids
    (``templates.grant_included`` then grants them), or the user CSV's rows before
    their users exist (it writes them with the user's row, ``NewUser.basic_licenses``)."""
    decided = decided or {}
    licenses = {}
    for key, kept in held.items():
        settled = decided.get(key)
        if settled:
            kept = kept | settled
        licenses[key] = [code for code in catalogue.DEFAULT_BASIC_LICENSES if code not in kept]
    return licenses


def included_for(
    *,
    users: Sequence[OrgUser],
    held: Mapping[int, set[str]],
    decided: Mapping[int, set[str]] | None,
) -> dict[int, list[str]]:
    """``included_for_new_users`` of these users, by id: what ``templates.grant_included``
    and the templates' writes give."""
    return included_for_new_users(held={user.pk: held[user.pk] for user in users}, decided=decided)


def set_basic_licenses(
    *, given: Mapping[int, int] | None = None, taken: Mapping[int, int] | None = None
) -> None:
    """The one writer of users' basic licenses after creation (SPEC §5): per user id, the
    bit masks (``catalogue.basic_mask``) of basic licenses ``given`` and ``taken`` back,
    in one statement; a license both given and taken ends given. Unaudited: the callers
    audit the change in their own words (``grant_included_licenses``, the user CSV)."""
    given, taken = given or {}, taken or {}
    ids = sorted(set(given) | set(taken))
    if not ids:
        return
    with hot_cursor(prepared=len(ids) <= SMALL_BATCH) as cursor:  # a SCIM POST: one user
        cursor.execute(
            _SET_BASIC_SQL,
            [pg_array(ids), pg_array(given.get(i, 0) for i in ids),
             pg_array(taken.get(i, 0) for i in ids)],
        )  # fmt: skip


_SET_BASIC_SQL = f"""
UPDATE {OrgUser._meta.db_table} AS u
SET basic_licenses = (u.basic_licenses & ~v.taken) | v.given
FROM unnest(%s::bigint[], %s::int[], %s::int[]) AS v(id, given, taken)
WHERE u.id = v.id AND u.basic_licenses <> ((u.basic_licenses & ~v.taken) | v.given)
"""  # noqa: S608 - our table
