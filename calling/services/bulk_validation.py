"""Checking a calling batch (``calling.services.bulk.validate_calling``): the wanted
calling states of many users or workspaces against the inventory, in a handful of
queries; nothing is written. The rules are listed in ``calling.services.bulk``."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.db.models.fields.json import KeyTransform

from calling.models import CallingProfile, Location, PhoneNumber
from calling.rules import E164, EXTENSION, extension_problem, number_problem
from calling.services.calling_batch import (
    CREATE,
    EXT,
    LOCATION,
    NUMBER,
    REMOVE,
    REMOVED,
    UNCHANGED,
    UPDATE,
    USER,
    WORKSPACE,
    CallingBatch,
    CallingChange,
    WantedCalling,
)
from partnerhub.bulk import among


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


class _Refused(Exception):
    """A row's calling cells have an error (already recorded in the batch)."""


def _kind(current: _Current | None, wanted: tuple[int, str | None, int | None]) -> str:
    if current is None:
        return CREATE
    if wanted == (current.location_id, current.extension, current.number_id):
        return UNCHANGED
    return UPDATE


# The profile's caller ID as stored in its settings. An expression, not the lookup
# "settings__caller_id": Django resolves that by first trying a join on "settings" and
# catching the FieldError, whose traceback keeps this validator's state (every wanted
# change) alive in a reference cycle until the next cyclic collection.
CALLER_ID = KeyTransform("caller_id", "settings")


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
                CALLER_ID,
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
        """What the row does to the holder's calling data; None when nothing (or when
        the row has an error, recorded in the batch)."""
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
            self._warn_ignored(wanted)
            return None
        if current is None and not (
            wanted.number.strip() or wanted.extension.strip() or wanted.location.strip()
        ):
            return None  # a calling user without calling data who is left as is
        try:
            location_id = self._location_of(wanted, current)
            extension = self._extension_of(wanted, current)
            number_id, number = self._number_of(wanted, current, location_id)
            self._check_complete(wanted, current, number_id, extension)
        except _Refused:
            return None
        return CallingChange(
            **base, kind=_kind(current, (location_id, extension, number_id)),
            profile_id=current.profile_id if current else None,
            location_id=location_id, extension=extension, number_id=number_id,
            before=before, after=_state(self.location_names[location_id], number, extension),
        )  # fmt: skip

    def _refuse(self, wanted: WantedCalling, name: str, message: str) -> _Refused:
        self.error(wanted, name, message)
        return _Refused()

    def _warn_ignored(self, wanted: WantedCalling) -> None:
        given = [
            (name, cell)
            for name, cell in ((LOCATION, wanted.location), (NUMBER, wanted.number),
                               (EXT, wanted.extension))
            if cell.strip() and cell.strip().upper() != REMOVE
        ]  # fmt: skip
        if given:
            self.batch.warnings.append((wanted.key, given[0][0], "Ignored: the user has no "
                "package with calling, so there is no calling data to set."))  # fmt: skip

    def _location_of(self, wanted: WantedCalling, current: _Current | None) -> int:
        cell = wanted.location.strip()
        if not cell:
            if current is None:
                raise self._refuse(wanted, LOCATION, "A Location is required to set up calling.")
            return current.location_id
        location_id = self.locations.get(cell)
        if location_id is None:
            known = sorted(self.locations)
            hint = (
                f"This organisation's locations: {', '.join(known[:10])}"
                + (", …" if len(known) > 10 else "")
                + "."
                if known
                else "This organisation has no location yet: add one first."
            )
            raise self._refuse(wanted, LOCATION, f"There is no location '{cell}'. {hint}")
        return location_id

    def _extension_of(self, wanted: WantedCalling, current: _Current | None) -> str | None:
        cell = wanted.extension.strip()
        if cell.upper() == REMOVE:
            return None
        if not cell:
            return current.extension if current else None
        problem = extension_problem(cell)
        if problem is not None:
            raise self._refuse(wanted, EXT, problem)
        return cell

    def _number_of(
        self, wanted: WantedCalling, current: _Current | None, location_id: int
    ) -> tuple[int | None, str]:
        """``(number id, e164)`` the holder ends with (``(None, "")``: none)."""
        cell, location_name = wanted.number.strip(), self.location_names[location_id]
        if cell.upper() == REMOVE:
            return None, ""
        if cell:
            problem = number_problem(cell)
            if problem is not None:
                raise self._refuse(wanted, NUMBER, problem)
            found = self.numbers.get(cell)
            if found is None:
                raise self._refuse(wanted, NUMBER, f"Phone number {cell} is not in this "
                    "organisation's number inventory: add it to a location first.")  # fmt: skip
            if found[1] != location_id:
                raise self._refuse(wanted, NUMBER, f"Phone number {cell} belongs to location "
                    f"{self.location_names[found[1]]}, not {location_name}: give a number "
                    f"of {location_name} or change the Location.")  # fmt: skip
            return found[0], cell
        if current is None or current.number_id is None:
            return None, ""
        if location_id != current.location_id:
            raise self._refuse(wanted, NUMBER, f"Phone number {current.number} belongs to "
                f"location {self.location_names[current.location_id]}, not {location_name}: "
                f"give a number of {location_name} (or REMOVE) when moving the "
                f"{_WORDING[wanted.holder].noun}.")  # fmt: skip
        return current.number_id, current.number

    def _check_complete(
        self,
        wanted: WantedCalling,
        current: _Current | None,
        number_id: int | None,
        extension: str | None,
    ) -> None:
        if (
            number_id is None
            and current is not None
            and current.number_id is not None
            and current.caller_id == "own_number"
        ):
            # The single-user service refuses it too (settings.change_user_calling).
            raise self._refuse(wanted, NUMBER, _WORDING[wanted.holder].caller_id_number)
        if number_id is None and not extension:
            raise self._refuse(wanted, EXT, f"A {_WORDING[wanted.holder].noun} with calling "
                "needs an Extension or a Phone Number; both would be empty.")  # fmt: skip

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
