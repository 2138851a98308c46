"""Where agents are pushed: the contact-center roster, behind a small interface (SPEC §7).

``settings.CONTACT_CENTER_ROSTER_BACKEND`` names the backend class (default: the
built-in ``DatabaseRoster``, the project's own roster in ``RosterEntry``). A backend
for a real management portal implements ``RosterBackend``:

* ``push(records)`` writes the agents and returns ``{email: reason}`` for the ones
  it refused; raising ``RosterError`` means the whole batch failed (every agent of
  it becomes Invalid with that reason); any other exception is a crash (the sync
  task fails; nothing of the batch is marked synced).
* ``emails()`` lists the roster; ``remove(emails)`` takes agents off it.

``transactional`` says whether writes commit with the caller's transaction (the
built-in one does: roster row and sync status commit together). A remote backend
is not transactional: the status is written only after ``push`` returned, i.e. once
the write is durable on the other side; a crash in between leaves the agent pending
and the next sync pushes it again (pushes are upserts).

Fault injection (tests, demos): ``settings.CONTACT_CENTER_ROSTER_FAULTS`` =
``{"fail_emails": [...], "fail_every": n, "crash_after": n, "unavailable": bool}``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from contactcenter.errors import RosterCrash, RosterError
from contactcenter.models import Agent, RosterEntry

DEFAULT_BACKEND = "contactcenter.roster.DatabaseRoster"


@dataclass(frozen=True)
class AgentRecord:
    """What the roster is told about one agent."""

    email: str
    display_name: str
    license_type: str
    role: str
    is_admin: bool
    team: str = ""
    site: str = ""
    skill_profile: str = ""
    agent_profile: str = ""

    @classmethod
    def of(cls, agent: Agent) -> AgentRecord:
        user = agent.user
        name = user.display_name or f"{user.first_name} {user.last_name}".strip()
        return cls(
            email=user.email,
            display_name=name,
            license_type=agent.license_type,
            role=agent.role,
            is_admin=agent.is_admin,
            team=agent.team,
            site=agent.site,
            skill_profile=agent.skill_profile,
            agent_profile=agent.agent_profile,
        )


_UPDATED_FIELDS = [f.name for f in fields(AgentRecord) if f.name != "email"]


class RosterBackend(Protocol):
    transactional: bool

    def push(self, records: Sequence[AgentRecord]) -> dict[str, str]: ...

    def emails(self) -> set[str]: ...

    def remove(self, emails: Collection[str]) -> int: ...


class DatabaseRoster:
    """The built-in roster (``RosterEntry`` in the org's schema), with fault injection."""

    transactional: ClassVar[bool] = True

    def __init__(self, faults: dict[str, Any] | None = None) -> None:
        if faults is None:
            faults = getattr(settings, "CONTACT_CENTER_ROSTER_FAULTS", None) or {}
        self.fail_emails = {email.lower() for email in faults.get("fail_emails", ())}
        self.fail_every = int(faults.get("fail_every") or 0)
        self.crash_after = faults.get("crash_after")
        self.unavailable = bool(faults.get("unavailable"))
        self.calls = 0  # records offered so far (for fail_every / crash_after)

    def _fault(self, record: AgentRecord) -> str | None:
        self.calls += 1
        if self.crash_after is not None and self.calls > int(self.crash_after):
            raise RosterCrash(f"Injected crash after {self.crash_after} agents.")
        if record.email.lower() in self.fail_emails:
            return f"The contact-center roster rejected {record.email} (injected fault)."
        if self.fail_every and self.calls % self.fail_every == 0:
            return f"The contact-center roster did not answer for {record.email} (injected fault)."
        return None

    def push(self, records: Sequence[AgentRecord]) -> dict[str, str]:
        if self.unavailable:
            raise RosterError("The contact-center roster is unavailable (injected fault).")
        rejected: dict[str, str] = {}
        accepted: list[RosterEntry] = []
        now = timezone.now()
        for record in records:
            reason = self._fault(record)
            if reason:
                rejected[record.email] = reason
            else:
                accepted.append(RosterEntry(**asdict(record), pushed_at=now))
        RosterEntry.objects.bulk_create(
            accepted,
            update_conflicts=True,
            unique_fields=["email"],
            update_fields=[*_UPDATED_FIELDS, "pushed_at"],
            batch_size=1000,
        )
        return rejected

    def emails(self) -> set[str]:
        return set(RosterEntry.objects.values_list("email", flat=True))

    def remove(self, emails: Collection[str]) -> int:
        deleted, _ = RosterEntry.objects.filter(email__in=list(emails)).delete()
        return deleted


def get_roster_backend() -> RosterBackend:
    path = getattr(settings, "CONTACT_CENTER_ROSTER_BACKEND", DEFAULT_BACKEND)
    return import_string(path)()
