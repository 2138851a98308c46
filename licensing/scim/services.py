"""Every change SCIM makes, written through the licensing services (SPEC §3, §5, §6).

* Users are created by ``licensing.services.bulk_users.create_users`` (the bulk path that
  directory sync uses: e-mail claimed across orgs, one audit entry each), then get
  their template's licenses and calling from their work phone through
  ``hooks.provision_from_work_phones`` — SCIM's rule there: a line that runs out
  leaves the user without that license and in the provisioning failure report.
* Edits go through ``update_user`` / ``change_user_email``; deactivation is status
  *inactive* (readable, licenses kept); DELETE is ``delete_users`` (calling snapshot).
* Group membership applies the group's template in the same transaction (group wins
  over org); leaving a group follows the template's *keep licenses* rule.

The actor of every change is the connection (``connection_actor``). Each function is
one transaction; a ``DomainError`` of a service becomes a SCIM error in the view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from psycopg.errors import ForeignKeyViolation

from customers.usage import AlsoRead
from licensing import catalogue
from licensing.models import Group, LicenseAssignment, OrgUser, UserStatus
from licensing.scim.connections import connection_actor
from licensing.scim.errors import ScimError
from licensing.scim.models import ScimConnection, ScimGroup, ScimUser
from licensing.scim.protocol import resource_id
from licensing.scim.resources import UserData, stored_data
from licensing.services import groups as group_services
from licensing.services import hooks
from licensing.services.bulk_users import NewUser, create_user_rows
from licensing.services.licenses import release_license
from licensing.services.line_order import lock_lines_of
from licensing.services.packages import change_package
from licensing.services.summary import schedule_usage_summary
from licensing.services.template_capacity import yield_to_group_templates
from licensing.services.templates import licenses_from_templates
from licensing.services.users import change_user_email, delete_users, update_user
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.bulk import among, copy_insert, pg_array
from partnerhub.errors import DomainError
from partnerhub.prepared import hot_cursor

SCIM_FIELDS = (
    "user_name",
    "external_id",
    "emails",
    "phone_numbers",
    "active",
    "department",
    "employee_number",
)


def _scim_record(data: UserData, *, user_id: int, connection: ScimConnection) -> ScimUser:
    return ScimUser(
        user_id=user_id,
        connection=connection,
        **{name: getattr(data, name) for name in SCIM_FIELDS},
    )


def check_new_users(items: Sequence[UserData], *, exclude: int | None = None) -> None:
    """409 ``uniqueness`` for an e-mail or userName the org has (or the batch repeats)."""
    _refuse_repeats(items)
    columns, params = _taken_columns(items, exclude=exclude)
    with hot_cursor(prepared=len(items) == 1) as cursor:  # a POST's: prepared
        cursor.execute(f"SELECT {columns}", params)
        _refuse_taken(cursor.fetchone())


def _refuse_repeats(items: Sequence[UserData]) -> None:
    emails = [d.email for d in items]
    names = [d.user_name.upper() for d in items]
    email_counts, name_counts = Counter(emails), Counter(names)
    repeated = {e for e in emails if email_counts[e] > 1} | {
        d.user_name for d in items if name_counts[d.user_name.upper()] > 1
    }
    if repeated:
        raise ScimError(409, f"{sorted(repeated)[0]} is sent twice.", "uniqueness")


def _taken_columns(items: Sequence[UserData], *, exclude: int | None) -> tuple[str, list]:
    """The select list (and its parameters) of the e-mail and userName the org has:
    ``check_new_users``' statement, or a POST's e-mail claim (``AlsoRead``)."""
    # Fixed text (a POST each). "= ANY(array)": the array is hashed
    # (or the e-mail / upper(user_name) index used), however stale the table's
    # statistics; "IN (SELECT unnest(…))" became a nested loop over a scan of every
    # SCIM user for each name of a Bulk request. The userNames are upper-cased by
    # PostgreSQL, as its unique index does (Python's upper differs: "ß" → "SS").
    # "OFFSET 0" keeps the userName match apart from "ORDER BY user_id LIMIT 1": else
    # PostgreSQL walked the primary key in id order and compared every SCIM user with
    # the whole array (65 ms for a Bulk request's 1,000 names against 5,000 users,
    # growing with the org; 0.5 ms through the upper(user_name) index).
    user = db_connection.ops.quote_name(OrgUser._meta.db_table)
    scim = db_connection.ops.quote_name(ScimUser._meta.db_table)
    columns = (
        f"(SELECT email FROM {user} WHERE email = ANY(%s::text[]) "  # noqa: S608
        "AND id IS DISTINCT FROM %s ORDER BY email LIMIT 1), "
        f"(SELECT user_name FROM (SELECT user_name, user_id FROM {scim} "
        "WHERE UPPER(user_name) = ANY(ARRAY(SELECT UPPER(n) FROM unnest(%s::text[]) AS n)) "
        "AND user_id IS DISTINCT FROM %s OFFSET 0) AS named ORDER BY user_id LIMIT 1)"
    )
    return columns, [
        pg_array(d.email for d in items),
        exclude,
        pg_array(d.user_name for d in items),
        exclude,
    ]


def _refuse_taken(row: tuple) -> None:
    found, clash = row
    if found:
        raise ScimError(409, f"A user with the e-mail {found} already exists.", "uniqueness")
    if clash:
        raise ScimError(409, f"A user with the userName {clash} already exists.", "uniqueness")


def uniqueness_race(error: IntegrityError) -> ScimError | None:
    """The 409 ``check_new_users`` would have given, for a request that passed it but
    lost the race to a parallel one (same e-mail or userName, committed meanwhile) and
    broke the unique index instead (or a foreign key, by a parallel delete); else None."""
    diag = getattr(error.__cause__, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    if constraint == f"{OrgUser._meta.db_table}_email_key":
        return ScimError(409, "A user with this e-mail already exists.", "uniqueness")
    if constraint == USER_NAME_INDEX:
        return ScimError(409, "A user with this userName already exists.", "uniqueness")
    if isinstance(error.__cause__, ForeignKeyViolation):  # a parallel delete, at COMMIT
        return ScimError(409, "Another request changed the same resources meanwhile (e.g. a "
                         "member deleted as it joined a group); this change was not "
                         "applied. Send it again.")  # fmt: skip
    return None


USER_NAME_INDEX = "scim_user_name_unique_any_case"  # licensing.scim.models.ScimUser


@transaction.atomic
def create_users(
    *, items: Sequence[UserData], connection: ScimConnection, checked: bool = False
) -> list[OrgUser]:
    """New users (one POST, or the POSTs of a Bulk request): created, then licensed by
    their templates and provisioned from their work phones. Returns them in order.
    ``checked``: the caller ran ``check_new_users`` on exactly these items already."""
    if not items:
        return []
    also_read = None  # the org's e-mails and userNames, read in the e-mail claim's statement
    if not checked:
        _refuse_repeats(items)
        also_read = AlsoRead(*_taken_columns(items, exclude=None), check=_refuse_taken)
    actor = connection_actor(connection)
    with audit.one_insert():  # the request's audit rows: one statement
        users = create_user_rows(
            users=[
                NewUser(
                    email=d.email,
                    first_name=d.first_name,
                    last_name=d.last_name,
                    display_name=d.display_name,
                    work_phone=d.work_phone,
                    status=UserStatus.INACTIVE if d.active is False else UserStatus.INVITE_PENDING,
                )
                for d in items
            ],
            actor=actor,
            audit_action=AuditAction.USER_CREATED_BY_SCIM,
            also_read=also_read,
        )
        records = [
            _scim_record(d, user_id=u.pk, connection=connection)
            for d, u in zip(items, users, strict=True)
        ]
        copy_insert(
            ScimUser,
            ["user", "connection", *SCIM_FIELDS],
            ([r.user_id, r.connection_id, *(getattr(r, n) for n in SCIM_FIELDS)] for r in records),
        )  # one COPY (a Bulk request's thousand records), or one INSERT for a POST
        for user, record in zip(users, records, strict=True):
            user.scim = record  # what the answer shows, without reading it back
        hooks.provision_from_work_phones(users=users, source="scim", actor=actor, created=True)
    schedule_usage_summary()
    return users


@transaction.atomic
def replace_user(*, user: OrgUser, data: UserData, connection: ScimConnection) -> bool:
    """PUT (and PATCH, once applied): the user becomes ``data``. Nothing is written
    when nothing changed. Returns whether anything did."""
    current = stored_data(user)
    if data == current:
        return False
    actor = connection_actor(connection)
    if data.email != user.email:
        check_new_users([data], exclude=user.pk)
        change_user_email(user=user, email=data.email, actor=actor)
    elif (
        data.user_name != current.user_name
    ):  # any change: the index upper-cases as PostgreSQL does
        check_new_users([data], exclude=user.pk)
    fields = {
        "first_name": data.first_name,
        "last_name": data.last_name,
        "display_name": data.display_name,
        "work_phone": data.work_phone,
    }
    if data.active is False and user.status != UserStatus.INACTIVE:
        fields["status"] = UserStatus.INACTIVE
    elif data.active is not False and user.status == UserStatus.INACTIVE:
        fields["status"] = UserStatus.ACTIVE
    changed = {k: v for k, v in fields.items() if getattr(user, k) != v}
    if changed:
        update_user(user=user, actor=actor, **changed)
    _save_scim_record(user=user, data=data, current=current, connection=connection)
    if "work_phone" in changed:
        hooks.provision_from_work_phones(users=[user], source="scim", actor=actor)
    return True


def _save_scim_record(
    *, user: OrgUser, data: UserData, current: UserData, connection: ScimConnection
) -> None:
    before = {
        n: getattr(current, n) for n in SCIM_FIELDS if getattr(current, n) != getattr(data, n)
    }
    if not before:
        return
    record = getattr(user, "scim", None)
    if record is None:
        user.scim = _scim_record(data, user_id=user.pk, connection=connection)
        user.scim.save()
    else:
        for name in before:
            setattr(record, name, getattr(data, name))
        record.save(update_fields=list(before))
    audit.record(
        actor=connection_actor(connection),
        action=AuditAction.USER_SCIM_ATTRIBUTES_CHANGED,
        target=user,
        before=before,
        after={n: getattr(data, n) for n in before},
    )


def delete_user(*, user: OrgUser, connection: ScimConnection) -> None:
    """Like the pages' delete (SPEC §3): licenses freed, calling snapshot kept 30 days."""
    delete_users(users=[user], actor=connection_actor(connection))


# --- groups ------------------------------------------------------------------------


def _check_group_name(name: str, *, exclude: int | None = None) -> str:
    if not (name or "").strip():
        raise ScimError(400, "displayName is required.", "invalidValue")
    try:
        name = group_services.group_name(name)
    except DomainError as error:
        raise ScimError(400, f"displayName: {error.message}", "invalidValue") from None
    if Group.objects.filter(name__iexact=name).exclude(pk=exclude).exists():
        raise ScimError(409, f"A group called {name} already exists.", "uniqueness")
    return name


def _members(ids: Sequence[str]) -> list[OrgUser]:
    wanted = {pk for pk in map(resource_id, ids) if pk is not None}
    users = list(OrgUser.objects.filter(pk__in=among(wanted)).order_by("pk"))
    missing = sorted(set(ids) - {str(u.pk) for u in users})
    if missing:
        raise ScimError(400, f"No user with id {missing[0]} in this org.", "invalidValue")
    return users


@transaction.atomic
def create_group(
    *, name: str, external_id: str, member_ids: Sequence[str], connection: ScimConnection
) -> Group:
    name = _check_group_name(name)
    members = _members(member_ids)
    group = group_services.create_group(name=name, actor=connection_actor(connection))
    ScimGroup.objects.create(group=group, connection=connection, external_id=external_id)
    add_members(group=group, users=members, connection=connection)
    return group


@transaction.atomic
def replace_group(
    *,
    group: Group,
    name: str,
    external_id: str,
    member_ids: Sequence[str],
    connection: ScimConnection,
) -> bool:
    """PUT (and PATCH, once applied). Returns whether anything changed."""
    actor = connection_actor(connection)
    changed = False
    if name.strip() != group.name:
        name = _check_group_name(name, exclude=group.pk)
        audit.record(actor=actor, action=AuditAction.GROUP_RENAMED, target=group,
                     before={"name": group.name}, after={"name": name})  # fmt: skip
        group.name = name
        group.save(update_fields=["name"])
        changed = True
    record = ScimGroup.objects.filter(group=group).first()
    if record is None or record.external_id != external_id:
        ScimGroup.objects.update_or_create(
            group=group, defaults={"external_id": external_id, "connection": connection}
        )
        changed = True
    current = set(group.users.values_list("pk", flat=True))
    wanted = {u.pk: u for u in _members(member_ids)}
    joining = [u for pk, u in wanted.items() if pk not in current]
    leaving = list(OrgUser.objects.filter(pk__in=among(current - set(wanted))))
    if joining:
        add_members(group=group, users=joining, connection=connection)
    if leaving:
        remove_members(group=group, users=leaving, connection=connection)
    return changed or bool(joining or leaving)


@transaction.atomic
def add_members(*, group: Group, users: Sequence[OrgUser], connection: ScimConnection) -> None:
    """Members join; the group's template applies to them now (group wins over org,
    Premium over Standard); a line that runs out puts them in the failure report."""
    if not users:
        return
    actor = connection_actor(connection)
    through = OrgUser.groups.through
    through.objects.bulk_create(
        [through(orguser_id=u.pk, group_id=group.pk) for u in users], ignore_conflicts=True
    )
    audit.record_many(
        actor=actor,
        changes=[
            audit.Change(
                action=AuditAction.GROUP_MEMBER_ADDED, target=u, after={"group": group.name}
            )
            for u in users
        ],
    )
    yield_to_group_templates(users=users, actor=actor)
    hooks.provision_from_work_phones(users=list(users), source="scim", actor=actor, new=True)
    schedule_usage_summary()


@transaction.atomic
def remove_members(*, group: Group, users: Sequence[OrgUser], connection: ScimConnection) -> None:
    """Members leave. With the group template's *keep licenses for existing users*
    off, the licenses it gives are taken back (calling with a snapshot); the template
    that covers them now (another group's, or the org's) then adds what it gives."""
    if not users:
        return
    actor = connection_actor(connection)
    OrgUser.groups.through.objects.filter(
        group_id=group.pk, orguser_id__in=among(u.pk for u in users)
    ).delete()
    audit.record_many(
        actor=actor,
        changes=[
            audit.Change(
                action=AuditAction.GROUP_MEMBER_REMOVED, target=u, before={"group": group.name}
            )
            for u in users
        ],
    )
    template = getattr(group, "template", None)
    if (
        template is not None
        and template.is_active
        and not template.keep_licenses_for_existing_users
    ):
        lines = {line.pk: line for line in template.lines.all()}
        # All at once, in id order (line_order): the lines given back and the lines the
        # template that covers them now draws from below (provision_from_work_phones).
        drawn = {line.pk for wanted in licenses_from_templates(users).values() for line in wanted}
        lock_lines_of(user_ids=[u.pk for u in users], line_ids=drawn)
        for user in users:
            for assignment in LicenseAssignment.objects.filter(user=user, line_id__in=lines):
                if assignment.kind == catalogue.Kind.PACKAGE:
                    change_package(user=user, line=None, actor=actor, confirm_calling_loss=True)
                else:
                    release_license(license_type=assignment.license_type, user=user, actor=actor)
    # What now decides their licenses (another group's template, or the org's) applies.
    hooks.provision_from_work_phones(users=list(users), source="scim", actor=actor, new=True)
    schedule_usage_summary()


@transaction.atomic
def delete_group(*, group: Group, connection: ScimConnection) -> None:
    """Its members leave it first (so the keep-licenses rule applies), then it goes."""
    remove_members(group=group, users=list(group.users.all()), connection=connection)
    group_services.delete_group(group=group, actor=connection_actor(connection))
