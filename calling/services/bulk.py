"""Calling data of many users or workspaces at once (SPEC §4, §6): the calling columns
of the user CSV and of the workspace CSV.

Two steps, like the CSV itself. ``validate_calling`` checks a batch of wanted calling
states against the inventory in a handful of queries and returns, per row, what would
change and the problems (each naming the field: ``number``, ``extension`` or
``location``). The caller refuses the whole batch when any row has an error; otherwise
it applies it inside its own transaction with ``remove_calling`` (before users are
deleted) and ``write_calling`` (once every user exists), both bulk statements.

Rules (the same as one user's, ``calling.services.profiles``):

* a number is E.164, in this org's inventory, in the profile's location, and free —
  or already this user's, or freed by another row of the same batch;
* an extension is 2–10 digits and unique in its location — among the org's profiles
  (users and workspaces) and among the rows of the batch;
* the location is named and exists; a holder with calling has a number or an extension;
* a blank value changes nothing; ``REMOVE`` removes the number or the extension.

Removed calling data is kept as a snapshot (``remove_profiles``), restorable for 30 days.

A row's holder is a user (``holder=USER``, the default) or a workspace
(``holder=WORKSPACE``): the rules are the same; the wording follows the holder (the
workspace CSV keeps the single-workspace services' messages).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from calling import errors
from calling.models import CallingProfile, Location, PhoneNumber, violated_constraint
from calling.rules import E164, EXTENSION, extension_problem, number_problem
from calling.services.snapshots import remove_profiles
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record_many
from partnerhub.bulk import among, copy_insert, update_from_arrays

REMOVE = "REMOVE"
NUMBER, EXT, LOCATION = "number", "extension", "location"

# What happens to a holder's calling data.
CREATE, UPDATE, REMOVED, UNCHANGED = "create", "update", "remove", "unchanged"
# Whose calling data.
USER, WORKSPACE = "user", "workspace"


@dataclass(frozen=True)
class WantedCalling:
    """One row of the batch. ``calling``: True when the holder ends with calling (a
    package with calling, a Workspace Calling license), False when it loses it, None
    when it has none before or after; ``deleted``: the holder itself is deleted.
    ``number`` / ``extension`` / ``location`` are the cells as given: blank = no
    change, ``REMOVE`` = remove. ``email`` names the holder: a user's e-mail, a
    workspace's name; ``workspace_id`` is set for an existing workspace."""

    key: Hashable
    email: str
    user_id: int | None
    calling: bool | None
    deleted: bool = False
    number: str = ""
    extension: str = ""
    location: str = ""
    holder: str = USER
    workspace_id: int | None = None

    @property
    def holder_id(self) -> int | None:
        return self.workspace_id if self.holder == WORKSPACE else self.user_id


@dataclass
class CallingChange:
    """What a row does to the holder's calling data (``kind``), before and after."""

    key: Hashable
    email: str
    user_id: int | None
    kind: str
    profile_id: int | None = None
    location_id: int | None = None
    extension: str | None = None
    number_id: int | None = None
    before: dict[str, str] | None = None
    after: dict[str, str] | None = None
    holder: str = USER
    workspace_id: int | None = None

    @property
    def holder_id(self) -> int | None:
        return self.workspace_id if self.holder == WORKSPACE else self.user_id

    def describe(self) -> str:
        """The change as words, for a dry run."""

        def text(state: dict[str, str] | None) -> str:
            state = state or {}
            parts = [f"location {state.get('location')}"]
            if state.get("number"):
                parts.append(f"number {state['number']}")
            if state.get("extension"):
                parts.append(f"extension {state['extension']}")
            return ", ".join(parts)

        if self.kind == CREATE:
            return f"calling set up: {text(self.after)}"
        if self.kind == REMOVED:
            return f"calling removed: {text(self.before)}"
        return f"calling changed from {text(self.before)} to {text(self.after)}"


@dataclass
class CallingBatch:
    changes: dict[Hashable, CallingChange] = field(default_factory=dict)
    errors: list[tuple[Hashable, str, str]] = field(default_factory=list)  # key, field, message
    warnings: list[tuple[Hashable, str, str]] = field(default_factory=list)

    def changed(self, kind: str | None = None) -> list[CallingChange]:
        return [c for c in self.changes.values() if c.kind != UNCHANGED and kind in (None, c.kind)]


@dataclass
class _Current:
    profile_id: int
    location_id: int
    extension: str | None
    number_id: int | None
    number: str
    caller_id: str | None = None  # as stored in the profile's settings


def _state(location: str, number: str, extension: str | None) -> dict[str, str]:
    return {"location": location, "number": number, "extension": extension or ""}


@dataclass(frozen=True)
class _Wording:
    """Messages that differ by holder (the rule is the same)."""

    noun: str
    number_taken: str  # {number}
    number_twice: str  # {number}, {other}
    extension_twice: str  # {extension}, {other}, {location}
    caller_id_number: str


_WORDING = {
    USER: _Wording(
        noun="user",
        number_taken="Phone number {number} is already assigned to someone else: "
        "choose a free number.",
        number_twice="Phone number {number} is also given to row {other}: a number belongs "
        "to one user.",
        extension_twice="Extension {extension} is also given to row {other} in location "
        "{location}: extensions are unique within a location.",
        # calling.services.settings, changing one user's number.
        caller_id_number="Caller ID is set to the user's own number, so the number cannot "
        "be removed: change the caller ID first, or give another number.",
    ),
    # The single-workspace services' wording (calling.services.profiles), which the
    # workspace CSV has always reported.
    WORKSPACE: _Wording(
        noun="workspace",
        number_taken="Phone number {number} is already assigned: choose a free number.",
        number_twice="Phone number {number} is already assigned: choose a free number.",
        extension_twice="Extension {extension} is already used in location {location}: "
        "choose another.",
        caller_id_number="Caller ID is set to the workspace's own number, so the number "
        "cannot be removed: change the caller ID first, or give another number.",
    ),
}


class _Validator:
    def __init__(self, wanted: list[WantedCalling]) -> None:
        self.wanted = wanted
        self.batch = CallingBatch()
        self.locations = dict(Location.objects.values_list("name", "pk"))
        self.location_names = {pk: name for name, pk in self.locations.items()}
        # (holder, holder id) -> its calling data now
        self.current: dict[tuple[str, int], _Current] = {}
        for holder, column in ((USER, "user_id"), (WORKSPACE, "workspace_id")):
            ids = [w.holder_id for w in wanted if w.holder == holder and w.holder_id is not None]
            if not ids:
                continue
            for (
                profile_id,
                holder_id,
                location_id,
                extension,
                number_id,
                e164,
                caller_id,
            ) in CallingProfile.objects.filter(**{f"{column}__in": among(ids)}).values_list(
                "pk", column, "location_id", "extension", "number__pk", "number__e164",
                "settings__caller_id",
            ):  # fmt: skip
                self.current[(holder, holder_id)] = _Current(
                    profile_id, location_id, extension, number_id, e164 or "", caller_id
                )
        given = {w.number for w in wanted if E164.match(w.number)}
        # e164 -> (id, location id, holding profile id, service)
        self.numbers = {
            e164: (pk, location_id, profile_id, service)
            for pk, e164, location_id, profile_id, service in PhoneNumber.objects.filter(
                e164__in=among(given, "text")
            ).values_list("pk", "e164", "location_id", "profile_id", "service")
        }
        extensions = {w.extension for w in wanted if EXTENSION.match(w.extension)}
        extensions |= {c.extension for c in self.current.values() if c.extension}
        # (location id, extension) -> profile id holding it
        self.extensions = {
            (location_id, extension): pk
            for pk, location_id, extension in CallingProfile.objects.filter(
                extension__in=among(extensions, "text")
            ).values_list("pk", "location_id", "extension")
        }

    def error(self, wanted: WantedCalling, name: str, message: str) -> None:
        self.batch.errors.append((wanted.key, name, message))

    def _current_of(self, holder: str, holder_id: int | None) -> _Current | None:
        return self.current.get((holder, holder_id)) if holder_id is not None else None

    def run(self) -> CallingBatch:
        plans = [(w, self._plan(w)) for w in self.wanted]
        changes = [change for _, change in plans if change is not None]
        # What this batch frees: numbers and extensions of profiles that change or go.
        freed_numbers: set[int] = set()
        freed_extensions: set[tuple[int, str]] = set()
        for change in changes:
            current = self._current_of(change.holder, change.holder_id)
            if current is None:
                continue
            if current.number_id and (
                change.kind == REMOVED or change.number_id != current.number_id
            ):
                freed_numbers.add(current.number_id)
            if current.extension and (
                change.kind == REMOVED
                or (change.location_id, change.extension)
                != (current.location_id, current.extension)
            ):
                freed_extensions.add((current.location_id, current.extension))
        numbers_in_batch: dict[int, Hashable] = {}
        extensions_in_batch: dict[tuple[int, str], Hashable] = {}
        for wanted, change in plans:
            if change is None or change.kind in (REMOVED, UNCHANGED):
                continue
            self._check_holders(wanted, change, freed_numbers, freed_extensions)
            wording = _WORDING[wanted.holder]
            if change.number_id is not None:
                other = numbers_in_batch.setdefault(change.number_id, wanted.key)
                if other != wanted.key:
                    self.error(wanted, NUMBER, wording.number_twice.format(
                        number=change.after["number"], other=other))  # fmt: skip
            if change.extension:
                slot = (change.location_id, change.extension)
                other = extensions_in_batch.setdefault(slot, wanted.key)
                if other != wanted.key:
                    self.error(wanted, EXT, wording.extension_twice.format(
                        extension=change.extension, other=other,
                        location=change.after["location"]))  # fmt: skip
        for wanted, change in plans:
            if change is not None:
                self.batch.changes[wanted.key] = change
        return self.batch

    def _plan(self, wanted: WantedCalling) -> CallingChange | None:
        current = self._current_of(wanted.holder, wanted.holder_id)
        base = {"key": wanted.key, "email": wanted.email, "user_id": wanted.user_id,
                "holder": wanted.holder, "workspace_id": wanted.workspace_id}  # fmt: skip
        before = (
            _state(self.location_names[current.location_id], current.number, current.extension)
            if current
            else None
        )
        if wanted.deleted or wanted.calling is False:
            if current is None:
                return None
            return CallingChange(**base, kind=REMOVED, profile_id=current.profile_id, before=before)
        if wanted.calling is None:
            given = [
                (name, cell)
                for name, cell in ((LOCATION, wanted.location), (NUMBER, wanted.number),
                                   (EXT, wanted.extension))
                if cell.strip() and cell.strip().upper() != REMOVE
            ]  # fmt: skip
            if given:
                self.batch.warnings.append((wanted.key, given[0][0], "Ignored: the user has no "
                    "package with calling, so there is no calling data to set."))  # fmt: skip
            return None
        number_cell, extension_cell = wanted.number.strip(), wanted.extension.strip()
        location_cell = wanted.location.strip()
        if current is None and not (number_cell or extension_cell or location_cell):
            return None  # a calling user without calling data who is left as is
        # Location.
        if location_cell:
            location_id = self.locations.get(location_cell)
            if location_id is None:
                known = sorted(self.locations)
                hint = (
                    f"This organisation's locations: {', '.join(known[:10])}"
                    + (", …" if len(known) > 10 else "")
                    + "."
                    if known
                    else "This organisation has no location yet: add one first."
                )
                self.error(wanted, LOCATION, f"There is no location '{location_cell}'. {hint}")
                return None
        elif current is not None:
            location_id = current.location_id
        else:
            self.error(wanted, LOCATION, "A Location is required to set up calling.")
            return None
        location_name = self.location_names[location_id]
        # Extension.
        if extension_cell.upper() == REMOVE:
            extension = None
        elif extension_cell:
            problem = extension_problem(extension_cell)
            if problem is not None:
                self.error(wanted, EXT, problem)
                return None
            extension = extension_cell
        else:
            extension = current.extension if current else None
        # Number.
        number_id, number = None, ""
        if number_cell.upper() == REMOVE:
            pass
        elif number_cell:
            problem = number_problem(number_cell)
            if problem is not None:
                self.error(wanted, NUMBER, problem)
                return None
            found = self.numbers.get(number_cell)
            if found is None:
                self.error(wanted, NUMBER, f"Phone number {number_cell} is not in this "
                           "organisation's number inventory: add it to a location first.")  # fmt: skip
                return None
            number_id, number = found[0], number_cell
            if found[1] != location_id:
                self.error(wanted, NUMBER, f"Phone number {number_cell} belongs to location "
                           f"{self.location_names[found[1]]}, not {location_name}: give a number "
                           f"of {location_name} or change the Location.")  # fmt: skip
                return None
        elif current is not None and current.number_id is not None:
            number_id, number = current.number_id, current.number
            if location_id != current.location_id:
                self.error(wanted, NUMBER, f"Phone number {number} belongs to location "
                           f"{self.location_names[current.location_id]}, not {location_name}: "
                           f"give a number of {location_name} (or REMOVE) when moving the "
                           f"{_WORDING[wanted.holder].noun}.")  # fmt: skip
                return None
        if (
            number_id is None
            and current is not None
            and current.number_id is not None
            and current.caller_id == "own_number"
        ):
            # The single-user service refuses it too (settings.change_user_calling).
            self.error(wanted, NUMBER, _WORDING[wanted.holder].caller_id_number)
            return None
        if number_id is None and not extension:
            self.error(wanted, EXT, f"A {_WORDING[wanted.holder].noun} with calling needs an "
                       "Extension or a Phone Number; both would be empty.")  # fmt: skip
            return None
        after = _state(location_name, number, extension)
        if current is None:
            kind = CREATE
        elif (location_id, extension, number_id) == (
            current.location_id,
            current.extension,
            current.number_id,
        ):
            kind = UNCHANGED
        else:
            kind = UPDATE
        return CallingChange(
            **base, kind=kind, profile_id=current.profile_id if current else None,
            location_id=location_id, extension=extension, number_id=number_id,
            before=before, after=after,
        )  # fmt: skip

    def _check_holders(
        self,
        wanted: WantedCalling,
        change: CallingChange,
        freed_numbers: set[int],
        freed_extensions: set[tuple[int, str]],
    ) -> None:
        """The number and extension are free, this holder's, or freed by this batch."""
        if change.number_id is not None:
            number = change.after["number"]
            _, _, holder, service = self.numbers.get(number, (None, None, None, ""))
            if service:
                self.error(wanted, NUMBER, f"Phone number {number} is used by {service}: "
                           "choose a free number.")  # fmt: skip
            elif (
                holder is not None
                and holder != change.profile_id
                and change.number_id not in freed_numbers
            ):
                self.error(wanted, NUMBER, _WORDING[wanted.holder].number_taken.format(
                    number=number))  # fmt: skip
        if change.extension:
            slot = (change.location_id, change.extension)
            holder = self.extensions.get(slot)
            if holder is not None and holder != change.profile_id and slot not in freed_extensions:
                self.error(wanted, EXT, f"Extension {change.extension} is already used in "
                           f"location {change.after['location']}: choose another.")  # fmt: skip


def validate_calling(wanted: Iterable[WantedCalling]) -> CallingBatch:
    """Check a batch of wanted calling states; nothing is written."""
    return _Validator(list(wanted)).run()


AUDIT_ACTION = {
    (USER, CREATE): AuditAction.CALLING_USER_PROVISIONED,
    (USER, UPDATE): AuditAction.CALLING_USER_CHANGED,
    (USER, REMOVED): AuditAction.CALLING_USER_REMOVED,
    (WORKSPACE, CREATE): AuditAction.CALLING_WORKSPACE_PROVISIONED,
    (WORKSPACE, UPDATE): AuditAction.CALLING_WORKSPACE_CHANGED,
    (WORKSPACE, REMOVED): AuditAction.CALLING_WORKSPACE_REMOVED,
}


def _audit(changes: list[CallingChange], actor: Actor, *, reason: str) -> None:
    record_many(
        actor=actor,
        changes=(
            Change(
                action=AUDIT_ACTION[c.holder, c.kind],
                target_type="calling.CallingProfile",
                target_id=str(c.profile_id or ""),
                target_repr=f"calling of {c.email}",
                before=c.before,
                after={**c.after, "via": reason} if c.after else {"via": reason},
            )
            for c in changes
        ),
    )


def remove_calling(
    batch: CallingBatch, *, actor: Actor, reason: str = "csv", audit: bool = True
) -> int:
    """Remove the calling data of the batch's holders who lose it (call before deleting
    users): snapshot (30 days), numbers released, audited (``audit=False``: the caller
    audits each holder itself). Inside the caller's transaction."""
    removed = batch.changed(REMOVED)
    if not removed:
        return 0
    profiles = CallingProfile.objects.select_related("location", "user", "workspace").filter(
        pk__in=among(c.profile_id for c in removed)
    )
    remove_profiles(profiles, reason=reason)
    if audit:
        _audit(removed, actor, reason=reason)
    return len(removed)


def write_calling(
    batch: CallingBatch,
    *,
    actor: Actor,
    user_ids: dict[Hashable, int] | None = None,
    workspace_ids: dict[Hashable, int] | None = None,
    reason: str = "csv",
    audit: bool = True,
) -> int:
    """Create and update the batch's calling profiles and assign their numbers, inside
    the caller's transaction (call once every holder exists; ``user_ids`` /
    ``workspace_ids`` give the ids of holders created meanwhile, by key). A number or
    extension taken since validation raises ``NumberAlreadyAssigned`` /
    ``ExtensionTaken`` and the caller rolls back. ``audit=False``: the caller audits
    each holder itself."""
    creates, updates = batch.changed(CREATE), batch.changed(UPDATE)
    if not creates and not updates:
        return 0
    for change in creates:
        if change.holder == WORKSPACE:
            change.workspace_id = change.workspace_id or (workspace_ids or {})[change.key]
        else:
            change.user_id = change.user_id or (user_ids or {})[change.key]
    mine = {c.profile_id for c in updates}
    # Lock the numbers this batch assigns; each is still free or one of ours.
    wanted_numbers = [c.number_id for c in creates + updates if c.number_id is not None]
    for e164, holder, service in (
        PhoneNumber.objects.select_for_update()
        .filter(pk__in=among(wanted_numbers))
        .order_by("pk")
        .values_list("e164", "profile_id", "service")
    ):
        if service or (holder is not None and holder not in mine):
            raise errors.NumberAlreadyAssigned(
                f"Phone number {e164} was assigned to someone else while the file was being "
                "imported; nothing was applied. Import the file again.",
                field="number",
            )
    try:
        with transaction.atomic():
            # Free what changes first, so numbers and extensions can swap within the batch.
            PhoneNumber.objects.filter(profile_id__in=among(mine)).update(profile=None)
            CallingProfile.objects.filter(pk__in=among(mine)).update(extension=None)
            now = timezone.now()
            copy_insert(
                CallingProfile,
                ["user", "workspace", "location", "extension", "voicemail_enabled",
                 "voicemail_pin_hash", "settings", "created_at"],
                ([c.user_id if c.holder == USER else None,
                  c.workspace_id if c.holder == WORKSPACE else None,
                  c.location_id, c.extension, False, "", {}, now] for c in creates),
            )  # fmt: skip
            for holder, column in ((USER, "user_id"), (WORKSPACE, "workspace_id")):
                mine_created = [c for c in creates if c.holder == holder]
                if not mine_created:
                    continue
                created = dict(
                    CallingProfile.objects.filter(
                        **{f"{column}__in": among(c.holder_id for c in mine_created)}
                    ).values_list(column, "pk")
                )
                for change in mine_created:
                    change.profile_id = created[change.holder_id]
            if updates:
                update_from_arrays(
                    CallingProfile._meta.db_table,
                    {
                        "id": ("bigint", [c.profile_id for c in updates]),
                        "location_id": ("bigint", [c.location_id for c in updates]),
                        "extension": ("varchar", [c.extension for c in updates]),
                    },
                )
            assigned = [(c.number_id, c.profile_id) for c in creates + updates if c.number_id]
            if assigned:
                update_from_arrays(
                    PhoneNumber._meta.db_table,
                    {
                        "id": ("bigint", [number for number, _ in assigned]),
                        "profile_id": ("bigint", [profile for _, profile in assigned]),
                    },
                )
    except IntegrityError as error:
        if violated_constraint(error) != "extension_unique_in_location":
            raise errors.CallingAlreadySetUp(
                "Calling of a user or workspace of the file was set up by someone else while "
                "it was being imported; nothing was applied. Import the file again."
            ) from None
        raise errors.ExtensionTaken(
            "An extension of the file was taken by someone else while it was being imported; "
            "nothing was applied. Import the file again.",
            field="extension",
        ) from None
    if audit:
        _audit(creates + updates, actor, reason=reason)
    return len(creates) + len(updates)
