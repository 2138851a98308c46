"""Demo data of Webex Calling (``manage.py demo``): two locations with 40 numbers
each, and a few demo users moved to Webex Calling with a number and an extension.
Idempotent; runs in the org's schema; uses only the services the pages use."""

from __future__ import annotations

from calling.models import CallingProfile, Location
from calling.services.locations import create_location
from calling.services.numbers import add_numbers
from calling.services.profiles import CallingDetails
from licensing import catalogue
from licensing.demo import _line
from licensing.models import OrgUser
from licensing.services.packages import change_package
from partnerhub.audit.services import Actor

# Country → (first number of the headquarters' range, of the branch's range, time zone).
NUMBER_RANGES = {
    "NO": ("+4722990000", "+4755990000", "Europe/Oslo"),
    "PL": ("+48229900000", "+48129900000", "Europe/Warsaw"),
    "RO": ("+40219900000", "+40269900000", "Europe/Bucharest"),
    "BG": ("+35929900000", "+35932990000", "Europe/Sofia"),
}
DEFAULT_RANGE = ("+12125550100", "+13125550100", "America/New_York")
NUMBERS_PER_LOCATION = 40
CALLING_USERS = 6


def _range(first: str) -> str:
    last = f"+{int(first[1:]) + NUMBERS_PER_LOCATION - 1}"
    return f"{first}-{last}"


def _location(name: str, first_number: str, *, country: str, tz: str, actor: Actor) -> Location:
    location = Location.objects.filter(name=name).first()
    if location is None:
        location = create_location(
            name=name, country=country, time_zone=tz, address=f"{name}, demo street 1",
            main_number=first_number, actor=actor,
        )  # fmt: skip
        add_numbers(location=location, numbers=_range(first_number), actor=actor)
    return location


def load_demo(*, customer: object, actor: Actor) -> None:
    country = getattr(customer, "country", "") or "US"
    hq_first, branch_first, tz = NUMBER_RANGES.get(country, DEFAULT_RANGE)
    if country not in NUMBER_RANGES:
        country = "US"
    hq = _location("Headquarters", hq_first, country=country, tz=tz, actor=actor)
    _location("Branch office", branch_first, country=country, tz=tz, actor=actor)
    line = _line(catalogue.WEBEX_CALLING)
    if line is None or CallingProfile.objects.exists():
        return
    free = list(hq.numbers.filter(profile__isnull=True, service="").order_by("e164")[1:])
    for index, user in enumerate(OrgUser.objects.order_by("email")[:CALLING_USERS]):
        change_package(
            user=user, line=line, actor=actor,
            calling=CallingDetails(location=hq, number=free[index].e164, extension=f"{101 + index}"),
        )  # fmt: skip
