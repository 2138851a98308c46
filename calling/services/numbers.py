"""The phone-number inventory of an org (SPEC §6)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from calling import errors
from calling.models import Location, PhoneNumber, violated_constraint
from calling.rules import normalize_e164
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record

# At most this many numbers at once, as a range or as a list (page, API).
MAX_NUMBERS = MAX_RANGE = 10_000


def expand(numbers: list[str] | str) -> list[str]:
    """A list of numbers, or a range spec ``+4722000000-+4722000099``, as E.164 strings."""
    if isinstance(numbers, str):
        spec = numbers.strip()
        if "-" not in spec:
            return [normalize_e164(spec)]
        first, _, last = (part.strip() for part in spec.partition("-"))
        start, end = normalize_e164(first), normalize_e164(last)
        if len(start) != len(end) or int(end[1:]) < int(start[1:]):
            raise errors.InvalidNumberRange(
                f"Range '{spec}' is not valid: give the lowest and the highest number of the "
                "same length, for example +4722000000-+4722000099.",
                field="numbers",
            )
        count = int(end[1:]) - int(start[1:]) + 1
        if count > MAX_RANGE:
            raise errors.InvalidNumberRange(
                f"Range '{spec}' has {count} numbers: add at most {MAX_RANGE} at once.",
                field="numbers",
            )
        width = len(start) - 1
        candidates = [f"+{n:0{width}d}" for n in range(int(start[1:]), int(end[1:]) + 1)]
        return [normalize_e164(n) for n in candidates]
    if len(numbers) > MAX_NUMBERS:
        raise errors.InvalidNumberRange(
            f"{len(numbers)} numbers given: add at most {MAX_NUMBERS} at once, in several "
            "lists or ranges.",
            field="numbers",
        )
    return [normalize_e164(n) for n in numbers]


def _check_not_in_inventory(wanted: list[str], *, repeated: set[str]) -> None:
    existing = PhoneNumber.objects.filter(e164__in=wanted).values_list("e164", flat=True)
    duplicates = sorted(repeated | set(existing))
    if duplicates:
        raise errors.DuplicateNumbers(
            f"These numbers are already in the inventory or given twice: "
            f"{', '.join(duplicates)}. Nothing was added.",
            field="numbers",
            numbers=duplicates,
        )


@transaction.atomic
def add_numbers(*, location: Location, numbers: list[str] | str, actor: Actor) -> list[PhoneNumber]:
    """Add numbers to a location's inventory: all of them, or none."""
    wanted = expand(numbers)
    if not wanted:
        raise errors.InvalidNumber("Give at least one phone number.", field="numbers")
    seen: set[str] = set()
    repeated = {n for n in wanted if n in seen or seen.add(n)}
    _check_not_in_inventory(wanted, repeated=repeated)
    try:
        with transaction.atomic():
            created = PhoneNumber.objects.bulk_create(
                PhoneNumber(e164=n, location=location) for n in wanted
            )
    except IntegrityError as error:
        # Another admin added some of these numbers since we looked: say which.
        if violated_constraint(error) != "calling_phonenumber_e164_key":
            raise
        _check_not_in_inventory(wanted, repeated=set())
        raise
    record(
        actor=actor,
        action=AuditAction.CALLING_NUMBERS_ADDED,
        target=location,
        after={
            "numbers": wanted if len(wanted) <= 20 else [wanted[0], wanted[-1]],
            "count": len(wanted),
        },
    )
    return created
