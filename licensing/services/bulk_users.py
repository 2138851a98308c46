"""The one path that writes users in bulk (SPEC §3, §4, §5): manual add, the users CSV,
directory sync and SCIM provisioning create users here; the CSV and directory sync
update them here too (one user's edit, from a page, the API or SCIM, is
``licensing.services.users.update_user``).

What every path gets, in the caller's transaction:

* the e-mail claim across orgs (``customers.usage.claim_user_emails``): an e-mail that
  belongs to a user of another org raises ``EmailInAnotherOrg`` and rolls the whole
  change back;
* the display-name rule (``display_name_for``): the given display name, else
  "First Last";
* one ``COPY`` for the rows, with ids drawn from the table's sequence first (a few
  rows: one ``INSERT … RETURNING`` of their ids);
* one audit row per user (``audit_action``), written in bulk;
* the licenses of the users' auto-license templates when the caller asks
  (``templates``: what an explicit choice already settled, per e-mail);
* the partner's usage summary, scheduled on commit.

For any caller::

    from licensing.services.bulk_users import NewUser, create_users, update_users

    ids = create_users(
        users=[NewUser(email="kim@acme.example", first_name="Kim", last_name="Lee")],
        actor=actor, audit_action=AuditAction.USER_CREATED, templates={},
    )
    update_users(changes={ids[0]: {"first_name": "Kimberly"}}, actor=actor)

E-mails must be normalised first (``licensing.user_fields.normalise_email``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone

from customers.usage import AlsoRead, claim_user_emails
from licensing.models import OrgUser, UserStatus
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import apply_templates_to_new_users
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record_many
from partnerhub.bulk import among, insert_returning_ids, update_from_arrays

# The columns a bulk update may set, with their SQL types.
UPDATABLE = {
    "first_name": "varchar", "last_name": "varchar", "display_name": "varchar",
    "preferred_site": "varchar", "jabber_calling": "boolean", "jabber_with_teams": "boolean",
    "work_phone": "varchar", "status": "varchar",
}  # fmt: skip


class NewUser(NamedTuple):
    """One user to create; ``email`` already normalised. A named tuple (immutable, its
    values in ``NEW_USER_FIELDS`` order): an import builds 20,000, in half the time
    frozen dataclasses took."""

    email: str
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""  # blank: "First Last" (display_name_for)
    work_phone: str = ""
    preferred_site: str = ""
    jabber_calling: bool = False
    jabber_with_teams: bool = False
    status: str = UserStatus.INVITE_PENDING
    # Basic licenses written with the row (``catalogue.basic_mask``): the user CSV
    # settles them before creating; other paths grant them afterwards (templates).
    basic_licenses: int = 0


NEW_USER_FIELDS = list(NewUser._fields)


def display_name_for(*, first_name: str, last_name: str, display_name: str = "") -> str:
    """The display-name rule of every path: the one given, else "First Last"."""
    given = display_name.strip()
    if given:
        return given
    return " ".join(part for part in (first_name.strip(), last_name.strip()) if part)


def create_users(
    *,
    users: Sequence[NewUser],
    actor: Actor,
    audit_action: AuditAction | None = AuditAction.USER_CREATED,
    templates: Mapping[str, set[str]] | None = None,
) -> list[int]:
    """Create the users; their ids, in the order given. ``audit_action=None``: the
    caller writes richer audit rows itself (the CSV, one per row). ``templates``: apply
    the auto-license templates, leaving alone what ``templates[email]`` settled; None:
    the caller decides the licenses (directory sync provisions through calling)."""
    ids, _rows = _write_users(
        users, actor=actor, audit_action=audit_action, templates=templates, keep_rows=False
    )
    return ids


def create_user_rows(
    *,
    users: Sequence[NewUser],
    actor: Actor,
    audit_action: AuditAction | None = AuditAction.USER_CREATED,
    templates: Mapping[str, set[str]] | None = None,
    also_read: AlsoRead | None = None,
) -> list[OrgUser]:
    """``create_users``, returning the users as written: ``OrgUser`` instances built
    from the rows, not read back (SCIM answers with them). ``also_read``: the caller's
    own checks, run in the e-mail claim's statement (``claim_user_emails``)."""
    _ids, rows = _write_users(
        users, actor=actor, audit_action=audit_action, templates=templates, keep_rows=True,
        also_read=also_read,
    )  # fmt: skip
    return [_as_written(row) for row in rows]


COLUMNS = ["id", *NEW_USER_FIELDS, "created_at", "updated_at"]


def _write_users(
    users: Sequence[NewUser],
    *,
    actor: Actor,
    audit_action: AuditAction | None,
    templates: Mapping[str, set[str]] | None,
    keep_rows: bool,
    also_read: AlsoRead | None = None,
) -> tuple[list[int], list[list[Any]]]:
    """The one path's work (module docstring): the ids, in order, and (``keep_rows``)
    the rows written, in ``COLUMNS`` order (an import's 20,000 are not kept)."""
    if not users:
        return [], []
    emails = [user.email for user in users]
    claim_user_emails(customer=connection.tenant, emails=emails, also_read=also_read)
    now = timezone.now()
    values = [_row(user, now) for user in users]
    new_ids = insert_returning_ids(OrgUser, COLUMNS[1:], values)  # a POST: one statement
    ids = dict(zip(emails, new_ids, strict=True))
    kept = [[pk, *row] for pk, row in zip(new_ids, values, strict=True)] if keep_rows else []
    if audit_action:
        record_many(
            actor=actor,
            changes=(
                Change(
                    action=audit_action,
                    target_type="licensing.OrgUser",
                    target_id=str(ids[user.email]),
                    target_repr=user.email,
                    after={"email": user.email},
                )  # fmt: skip
                for user in users
            ),
        )
    if templates is not None:
        stand_ins = [
            OrgUser(id=ids[email], email=email) for email in emails
        ]  # ids are all it reads
        apply_templates_to_new_users(
            users=stand_ins, actor=actor,
            decided={ids[email]: set(settled) for email, settled in templates.items()},
        )  # fmt: skip
    schedule_usage_summary()
    return [ids[email] for email in emails], kept


def _as_written(row: list[Any]) -> OrgUser:
    """The user a row of ``_write_users`` wrote, as if read from the database."""
    user = OrgUser(**dict(zip(COLUMNS, row, strict=True)))
    user._state.adding, user._state.db = False, "default"
    return user


_DISPLAY_NAME = NEW_USER_FIELDS.index("display_name")


def _row(user: NewUser, now: Any) -> list[Any]:
    """The user's values in ``COLUMNS`` order but the id; its display name by the rule."""
    row = [*user, now, now]  # a NewUser's values are in NEW_USER_FIELDS order
    row[_DISPLAY_NAME] = display_name_for(
        first_name=user.first_name, last_name=user.last_name, display_name=user.display_name
    )
    return row


def update_users(
    *,
    changes: Mapping[int, Mapping[str, Any]],
    actor: Actor,
    audit_action: AuditAction | None = AuditAction.USER_UPDATED,
) -> None:
    """Set the given fields (``UPDATABLE``) of each user id in one statement; fields a
    user's change leaves out (or gives as None) keep their value."""
    changes = {user_id: change for user_id, change in changes.items() if change}
    if not changes:
        return
    names = sorted({name for change in changes.values() for name in change})
    unknown = set(names) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"update_users cannot set {', '.join(sorted(unknown))}.")
    # A field a change leaves out is None: the statement keeps it (every UPDATABLE
    # column is NOT NULL), so the rows need not be read first.
    ids = list(changes)
    now = timezone.now()
    update_from_arrays(
        OrgUser._meta.db_table,
        {
            "id": ("bigint", ids),
            **{n: (UPDATABLE[n], [changes[i].get(n) for i in ids]) for n in names},
            "updated_at": ("timestamptz", [now] * len(ids)),
        },
        null_keeps=True,
    )
    if audit_action:
        current = dict(OrgUser.objects.filter(pk__in=among(ids)).values_list("id", "email"))
        record_many(
            actor=actor,
            changes=(
                Change(
                    action=audit_action,
                    target_type="licensing.OrgUser",
                    target_id=str(user_id),
                    target_repr=current[user_id],
                    after=dict(change),
                )  # fmt: skip
                for user_id, change in changes.items()
            ),
        )
    schedule_usage_summary()
