"""Directory sync (SPEC §6, issue #4 item 10): a feed of directory users (Active
Directory / Azure / Okta style) with e-mail, names and work phone number.

* New e-mails become users of the org (their e-mails claimed across orgs); their
  template decides their licenses, and a template with calling provisions them from
  their work phone (calling.services.provisioning).
* Known users get their names and work phone updated. A user without calling whom a
  template with calling covers is tried again; a user already provisioned is **not**
  re-provisioned when the work phone changes (only the stored work phone follows).
* Re-running the same feed changes nothing.

The feed is checked as a whole first (a clear error, nothing applied): at most 50,000
entries, each with a valid e-mail, no e-mail twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from calling.errors import InvalidFeed
from calling.jobs import CallingJob
from calling.rules import work_phone_e164
from calling.services.provisioning import provision_from_work_phones
from licensing.models import OrgUser
from licensing.services.bulk_users import NewUser, create_users, update_users
from licensing.services.summary import schedule_usage_summary
from licensing.user_fields import normalise_email, validated_user_name
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record
from partnerhub.bulk import among
from partnerhub.csvfiles.errors import CsvFileError
from partnerhub.csvfiles.reading import MAX_BYTES, CsvTable, read_table
from partnerhub.errors import DomainError
from partnerhub.jobs.services import start_job

MAX_ENTRIES = 50_000
MAX_FEED_BYTES = MAX_BYTES  # the one CSV policy, JSON feeds too
# Header names accepted in a CSV feed (lower-cased), per field.
CSV_HEADERS = {
    "email": ("email", "e-mail", "mail", "userprincipalname", "user id/email (required)"),
    "first_name": ("first name", "first_name", "givenname", "given name"),
    "last_name": ("last name", "last_name", "surname", "sn", "family name"),
    "work_phone": ("work phone", "work_phone", "telephonenumber", "business phone", "phone"),
}


@dataclass(frozen=True)
class DirectoryEntry:
    email: str
    first_name: str = ""
    last_name: str = ""
    work_phone: str = ""


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    provisioned: int = 0
    unprovisioned: dict[str, str] = field(default_factory=dict)  # e-mail → reason
    work_phones: dict[str, str] = field(default_factory=dict)  # e-mail → as the feed wrote it

    def explain(self, email: str) -> str:
        """``… not provisioned (reason) — work phone '…'`` and, for a work phone that is
        not E.164, what is wrong with it (``calling.rules.work_phone_e164``)."""
        phone = self.work_phones.get(email, "")
        shown = f"work phone '{phone}'" if phone else "no work phone"
        hint = work_phone_e164(phone)[1] if self.unprovisioned[email] == "invalid_format" else ""
        return f"{email}: not provisioned ({self.unprovisioned[email]}) — {shown}" + (
            f": {hint}" if hint else ""
        )

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "provisioned": self.provisioned,
            "unprovisioned": [
                {
                    "email": email,
                    "reason": reason,
                    "work_phone": self.work_phones.get(email, ""),
                    "hint": work_phone_e164(self.work_phones.get(email, ""))[1]
                    if reason == "invalid_format"
                    else "",
                }  # fmt: skip
                for email, reason in sorted(self.unprovisioned.items())
            ],
        }


# --- reading a feed ---------------------------------------------------------------


def entries_from_json(items: object) -> list[DirectoryEntry]:
    """A JSON list of objects with ``email``, ``first_name``, ``last_name``,
    ``work_phone`` (the API's body, or a .json file)."""
    if not isinstance(items, list):
        raise InvalidFeed(
            "The directory feed must be a JSON list of users, for example "
            '[{"email": "kim@example.com", "work_phone": "+4722334455"}].'
        )
    entries = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("email"), str):
            raise InvalidFeed(f"Entry {index} of the feed has no e-mail: give each user an email.")
        entries.append(
            DirectoryEntry(
                email=item["email"],
                first_name=str(item.get("first_name") or ""),
                last_name=str(item.get("last_name") or ""),
                work_phone=str(item.get("work_phone") or ""),
            )
        )
    return entries


def entries_from_table(table: CsvTable) -> list[DirectoryEntry]:
    """Entries of a CSV feed read by the one CSV reader; headers in any case."""
    names = [h.lower() for h in table.headers]
    columns = {}
    for key, accepted in CSV_HEADERS.items():
        found = next((i for i, name in enumerate(names) if name in accepted), None)
        if found is not None:
            columns[key] = found
    if "email" not in columns:
        raise InvalidFeed(
            f"The directory file has no e-mail column (headers: {', '.join(table.headers)}): "
            "name it 'email'."
        )
    return [
        DirectoryEntry(**{key: row[i].strip() for key, i in columns.items()}) for row in table.rows
    ]


def check_feed_size(name: str, size: int) -> None:
    """Called before an upload is read, and again on what was read."""
    if size > MAX_FEED_BYTES:
        raise InvalidFeed(
            f"{name} is {size / 1024 / 1024:.1f} MB; a directory file may have at most "
            f"{MAX_FEED_BYTES // 1024 // 1024} MB. Split it and sync the parts one after another."
        )


def read_feed_file(name: str, content: bytes) -> list[DirectoryEntry]:
    """A .json (UTF-8, with or without BOM) or .csv directory export (the one CSV
    reader: delimiters, encodings, size and row limits as for every CSV)."""
    check_feed_size(name, len(content))
    if name.lower().endswith(".csv"):
        try:
            return entries_from_table(read_table(content, what="directory export"))
        except CsvFileError as error:
            raise InvalidFeed(f"{name}: {error.message}") from None
    if not name.lower().endswith(".json"):
        raise InvalidFeed(f"{name}: give a .csv or a .json file.")
    try:
        return entries_from_json(json.loads(content.decode("utf-8-sig")))
    except UnicodeDecodeError:
        raise InvalidFeed(f"{name} is not UTF-8 text: export it as UTF-8.") from None
    except json.JSONDecodeError as error:
        raise InvalidFeed(f"{name} is not valid JSON ({error}).") from None


def check_feed(entries: Sequence[DirectoryEntry]) -> list[DirectoryEntry]:
    """The entries with normalised e-mails, or ``InvalidFeed`` naming the problem."""
    if len(entries) > MAX_ENTRIES:
        raise InvalidFeed(f"The feed has {len(entries)} users; sync at most {MAX_ENTRIES} at once.")
    checked, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        try:
            email = normalise_email(entry.email)
            first_name = validated_user_name(entry.first_name, "first_name")
            last_name = validated_user_name(entry.last_name, "last_name")
        except DomainError as error:
            raise InvalidFeed(f"Entry {index}: {error.message}") from None
        if email in seen:
            raise InvalidFeed(f"Entry {index}: {email} is in the feed twice; keep one entry.")
        seen.add(email)
        checked.append(
            DirectoryEntry(
                email=email,
                first_name=first_name,
                last_name=last_name,
                work_phone=entry.work_phone.strip()[:40],
            )
        )
    return checked


# --- syncing ------------------------------------------------------------------------


@transaction.atomic
def sync_directory(*, entries: Sequence[DirectoryEntry], actor: Actor) -> SyncResult:
    """Apply a directory feed to the org: all or nothing."""
    entries = check_feed(entries)
    result = SyncResult()
    existing = {
        row["email"]: row
        for row in OrgUser.objects.filter(
            email__in=among([e.email for e in entries], "text")
        ).values("id", "email", "first_name", "last_name", "work_phone")
    }
    new = [e for e in entries if e.email not in existing]
    changed = [
        (existing[e.email]["id"], e)
        for e in entries
        if e.email in existing
        and (existing[e.email]["first_name"], existing[e.email]["last_name"],
             existing[e.email]["work_phone"]) != (e.first_name, e.last_name, e.work_phone)
    ]  # fmt: skip
    created = _create_users(new, actor=actor)
    _update_users(changed, actor=actor)
    result.created, result.updated = len(created), len(changed)
    result.unchanged = len(entries) - len(new) - len(changed)
    known = list(OrgUser.objects.filter(pk__in=among(row["id"] for row in existing.values())))
    outcome_new = provision_from_work_phones(
        created, source="directory_sync", actor=actor, created=True
    )
    outcome_known = provision_from_work_phones(known, source="directory_sync", actor=actor)
    result.provisioned = len(outcome_new.provisioned) + len(outcome_known.provisioned)
    emails = {u.pk: u.email for u in [*created, *known]}
    phones = {u.pk: u.work_phone for u in [*created, *known]}
    result.unprovisioned = {
        emails[user_id]: reason
        for outcome in (outcome_new, outcome_known)
        for user_id, reason in outcome.failed.items()
    }
    result.work_phones = {
        emails[user_id]: phones[user_id]
        for outcome in (outcome_new, outcome_known)
        for user_id in outcome.failed
    }
    if created or changed or result.provisioned:
        record(
            actor=actor,
            action=AuditAction.DIRECTORY_SYNCED,
            target_type="calling.DirectorySync",
            target_repr=f"{len(entries)} directory users",
            after={k: v for k, v in result.as_dict().items() if k != "unprovisioned"},
        )
        schedule_usage_summary()
    return result


def _create_users(entries: list[DirectoryEntry], *, actor: Actor) -> list[OrgUser]:
    """Through licensing's one user-writing service; calling then provisions them."""
    ids = create_users(
        users=[NewUser(email=e.email, first_name=e.first_name, last_name=e.last_name,
                       work_phone=e.work_phone) for e in entries],  # fmt: skip
        actor=actor, audit_action=AuditAction.USER_CREATED_BY_DIRECTORY_SYNC,
    )  # fmt: skip
    return list(OrgUser.objects.filter(pk__in=among(ids)).order_by("pk"))


def _update_users(changed: list[tuple[int, DirectoryEntry]], *, actor: Actor) -> None:
    update_users(
        changes={
            user_id: {
                "first_name": e.first_name,
                "last_name": e.last_name,
                "work_phone": e.work_phone,
            }
            for user_id, e in changed
        },  # fmt: skip
        actor=actor,
        audit_action=None,  # the sync's own audit row sums it up
    )


def start_directory_sync(*, actor: Actor, file_name: str, content: bytes, enqueue: bool = True):  # type: ignore[no-untyped-def]
    """Check the feed now (a clear error, nothing queued), then sync it as a task of
    the org; one such task (or CSV import) per org at a time. ``enqueue=False``: the
    caller runs it in its own process (the command)."""
    check_feed(read_feed_file(file_name, content))
    return start_job(
        kind=CallingJob.DIRECTORY_SYNC, actor=actor, file_name=file_name, content=content,
        enqueue=enqueue,
    )  # fmt: skip
