"""Helpers for calling tests (inside Acme's schema unless said otherwise)."""

from __future__ import annotations

import pytest

from calling.models import Location, PhoneNumber
from licensing.models import OrgUser
from licensing.services.users import create_user
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.services import Actor
from tests.licensing.conftest import line

ACTOR = Actor.system("calling test")


def make_user(email: str) -> OrgUser:
    return create_user(email=email, package_line=line("webex_meetings"), actor=ACTOR)


def numbers_of(location: Location) -> dict[str, int | None]:
    return dict(PhoneNumber.objects.filter(location=location).values_list("e164", "profile_id"))


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


@pytest.fixture
def oslo(acme) -> Location:
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    for e164 in ("+4722000001", "+4722000002"):
        PhoneNumber.objects.create(e164=e164, location=location)
    return location


@pytest.fixture
def bergen(oslo) -> Location:
    location = Location.objects.create(name="Bergen", country="NO")
    PhoneNumber.objects.create(e164="+4755000001", location=location)
    return location


@pytest.fixture
def pat(acme) -> OrgUser:
    return make_user("pat@acme.test")
