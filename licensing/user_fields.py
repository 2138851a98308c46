"""The rules of a user's own fields (SPEC §3, §4): the e-mail key, the name fields
and what an admin may edit — the same for manual add, edits, the CSV, directory sync
and SCIM. The value rules themselves are ``partnerhub.rules``; calling's rule for
names of users with calling is reached through ``CallingHooks``."""

from __future__ import annotations

from typing import Any

from licensing.errors import InvalidUserEntry
from licensing.models import OrgUser, UserStatus
from licensing.services import hooks
from partnerhub import rules

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "display_name",
    "status",
    "jabber_calling",
    "jabber_with_teams",
    "preferred_site",
    "work_phone",
)


def normalise_email(raw: str) -> str:
    """The key of a user (``partnerhub.rules``: trimmed, lower-cased, no invisible or
    look-alike characters, a valid address, user id ≤ 64) — or ``InvalidUserEntry``."""
    email, problem = rules.email_problem(raw)
    if problem is not None:
        raise InvalidUserEntry(problem, field="email")
    return email


NAME_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "display_name": "Display name",
    "preferred_site": "Preferred Webex site",
}


# A display name may hold line breaks (partnerhub.rules; the case quoted-newline-in-cell.csv).
MULTI_LINE_FIELDS = frozenset({"display_name"})


def validated_user_name(value: str, field: str) -> str:
    """A user's name field (``partnerhub.rules``): stripped, no control characters, at
    most the column's length — the same on every path (a 72-character first name is a
    clear error, never a database error)."""
    return rules.validated_name(
        value or "",
        label=NAME_LABELS[field],
        max_length=OrgUser._meta.get_field(field).max_length,
        field=field,
        line_breaks=field in MULTI_LINE_FIELDS,
    )


def check_user_fields(user: OrgUser, fields: dict[str, Any]) -> None:
    """The rules of a user's own fields: a known status; a user with calling keeps
    names calling allows (SPEC §6; the calling app's ``validated_calling_name``)."""
    if "status" in fields and fields["status"] not in UserStatus.values:
        raise InvalidUserEntry(f"Unknown status '{fields['status']}'.", field="status")
    for name in NAME_LABELS:
        if name in fields:
            fields[name] = validated_user_name(fields[name], name)
    names = {
        k: v
        for k, v in fields.items()
        if k in ("first_name", "last_name") and getattr(user, k) != v
    }
    if not names or not hasattr(user, "calling"):
        return
    for name, value in names.items():
        hooks.calling().validated_calling_name(value, field=name)
