"""A user's (or workspace's) calling after set-up (SPEC §6, issue #4 item 4): its
details (location, number, extension), voicemail with a PIN, and call settings.

Call settings live in ``CallingProfile.settings``::

    {"forwarding": {"mode": "off|always|busy|no_answer", "destination": "+47… or 1234"},
     "do_not_disturb": false,
     "caller_id": "own_number|location_number|hidden"}

The voicemail PIN is stored hashed (``make_password``) and never shown back or logged.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from calling import errors
from calling.licenses import holder_has_calling_license
from calling.models import CallingProfile, PhoneNumber
from calling.services.profiles import (
    CallingDetails,
    check_extension_free,
    normalize_e164,
    profile_summary,
    provision_user_calling,
    save_extension,
    validated_details,
)
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record

PIN = re.compile(r"^[0-9]{4,8}$")
PIN_RULE = "4 to 8 digits, not one digit repeated (1111) and not a straight run (1234, 8765)"

FORWARDING_MODES = {
    "off": "Off",
    "always": "Always",
    "busy": "When busy",
    "no_answer": "When not answered",
}
CALLER_IDS = {
    "own_number": "The user's own number",
    "location_number": "The location's main number",
    "hidden": "Hidden",
}


@dataclass(frozen=True)
class CallSettings:
    forwarding: str = "off"
    forward_to: str = ""
    do_not_disturb: bool = False
    caller_id: str = "own_number"

    def as_json(self) -> dict[str, Any]:
        return {
            "forwarding": {"mode": self.forwarding, "destination": self.forward_to},
            "do_not_disturb": self.do_not_disturb,
            "caller_id": self.caller_id,
        }


def _default_caller_id(profile: CallingProfile) -> str:
    if _number_of(profile) is not None:
        return "own_number"
    return "location_number" if profile.location.main_number else "hidden"


def call_settings_of(profile: CallingProfile) -> CallSettings:
    """The profile's call settings, defaults filled in (caller ID: the own number when
    there is one, else the location's main number, else hidden)."""
    stored = profile.settings or {}
    forwarding = stored.get("forwarding") or {}
    return CallSettings(
        forwarding=forwarding.get("mode", "off"),
        forward_to=forwarding.get("destination", ""),
        do_not_disturb=bool(stored.get("do_not_disturb", False)),
        caller_id=stored.get("caller_id") or _default_caller_id(profile),
    )


def _no_calling(user: Any) -> errors.CallingNotSetUp:
    return errors.CallingNotSetUp(
        f"{user} has no calling set up: set up calling (location and number or extension) first."
    )


def calling_profile_of(user: Any) -> CallingProfile:
    """The user's calling profile (read, not locked), or ``CallingNotSetUp``."""
    profile = CallingProfile.objects.select_related("location").filter(user=user).first()
    if profile is None:
        raise _no_calling(user)
    return profile


def _locked_calling_profile_of(user: Any) -> CallingProfile:
    """The user's calling profile locked for a change; only inside a transaction."""
    profile = (
        CallingProfile.objects.select_for_update(of=("self",))
        .select_related("location")
        .filter(user=user)
        .first()
    )
    if profile is None:
        raise _no_calling(user)
    return profile


def _number_of(profile: CallingProfile) -> PhoneNumber | None:
    return PhoneNumber.objects.filter(profile=profile).first()


# --- voicemail ----------------------------------------------------------------------


def validated_pin(pin: str) -> str:
    """The PIN rule: 4 to 8 digits, not one digit repeated, not a straight run."""
    pin = (pin or "").strip()
    if not PIN.match(pin):
        raise errors.InvalidVoicemailPin(
            f"The voicemail PIN must be {PIN_RULE}: type another PIN.", field="pin"
        )
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps == {0}:
        raise errors.InvalidVoicemailPin(
            "The voicemail PIN repeats one digit, which is easy to guess: mix digits.",
            field="pin",
        )
    if steps in ({1}, {-1}):
        raise errors.InvalidVoicemailPin(
            "The voicemail PIN is a straight run of digits, which is easy to guess: mix digits.",
            field="pin",
        )
    return pin


@transaction.atomic
def set_voicemail(*, user: Any, enabled: bool, pin: str = "", actor: Actor) -> None:
    """Voicemail on or off. Turning it on needs a PIN unless one is stored; a PIN given
    replaces the stored one (turning voicemail off keeps it for next time)."""
    profile = _locked_calling_profile_of(user)
    new_hash = make_password(validated_pin(pin)) if pin else ""
    if enabled and not (new_hash or profile.voicemail_pin_hash):
        raise errors.VoicemailPinRequired(
            f"Turning voicemail on needs a PIN: give one of {PIN_RULE}.", field="pin"
        )
    before = {"voicemail_enabled": profile.voicemail_enabled}
    profile.voicemail_enabled = enabled
    fields = ["voicemail_enabled"]
    if new_hash:
        profile.voicemail_pin_hash = new_hash
        fields.append("voicemail_pin_hash")
    profile.save(update_fields=fields)
    record(
        actor=actor,
        action=AuditAction.CALLING_VOICEMAIL_CHANGED,
        target=profile,
        before=before,
        after={"voicemail_enabled": enabled, "pin_changed": bool(new_hash)},
    )


# --- call settings ------------------------------------------------------------------


def _validated_destination(settings: CallSettings, profile: CallingProfile) -> str:
    destination = (settings.forward_to or "").strip()
    if settings.forwarding == "off":
        return ""
    if not destination:
        raise errors.InvalidForwarding(
            "Call forwarding needs a destination: give an E.164 number (+4722334455) or "
            "an extension of this organisation.",
            field="forward_to",
        )
    number = _number_of(profile)
    if destination.startswith("+"):
        try:
            destination = normalize_e164(destination)
        except errors.InvalidNumber as error:
            raise errors.InvalidForwarding(error.message, field="forward_to") from None
        if number is not None and number.e164 == destination:
            raise errors.InvalidForwarding(
                f"Calls cannot be forwarded to the user's own number {destination}: "
                "give another destination.",
                field="forward_to",
            )
        return destination
    if not destination.isdigit():
        raise errors.InvalidForwarding(
            f"Forwarding destination '{destination}' is neither an E.164 number nor an "
            "extension: write +4722334455 or an extension such as 1234.",
            field="forward_to",
        )
    if destination == (profile.extension or ""):
        raise errors.InvalidForwarding(
            f"Calls cannot be forwarded to the user's own extension {destination}: "
            "give another destination.",
            field="forward_to",
        )
    if not CallingProfile.objects.filter(extension=destination).exists():
        raise errors.InvalidForwarding(
            f"Extension {destination} is not used by anyone in this organisation: give an "
            "extension in use or an E.164 number.",
            field="forward_to",
        )
    return destination


def _validated_caller_id(caller_id: str, profile: CallingProfile) -> str:
    if caller_id not in CALLER_IDS:
        raise errors.InvalidCallerId(
            f"Caller ID '{caller_id}' is not known: choose one of {', '.join(CALLER_IDS)}.",
            field="caller_id",
        )
    if caller_id == "own_number" and _number_of(profile) is None:
        raise errors.InvalidCallerId(
            "Caller ID 'own number' needs a phone number, and this user has only an "
            "extension: give the user a number, or choose the location's main number or hidden.",
            field="caller_id",
        )
    if caller_id == "location_number" and not profile.location.main_number:
        raise errors.InvalidCallerId(
            f"Location {profile.location} has no main number: give it one, or choose "
            "another caller ID.",
            field="caller_id",
        )
    return caller_id


def validated_call_settings(settings: CallSettings, *, profile: CallingProfile) -> CallSettings:
    if settings.forwarding not in FORWARDING_MODES:
        raise errors.InvalidForwarding(
            f"Call forwarding '{settings.forwarding}' is not known: choose one of "
            f"{', '.join(FORWARDING_MODES)}.",
            field="forwarding",
        )
    return CallSettings(
        forwarding=settings.forwarding,
        forward_to=_validated_destination(settings, profile),
        do_not_disturb=bool(settings.do_not_disturb),
        caller_id=_validated_caller_id(settings.caller_id, profile),
    )


@transaction.atomic
def update_call_settings(*, user: Any, settings: CallSettings, actor: Actor) -> CallSettings:
    """Replace the user's call settings (forwarding, do-not-disturb, caller ID)."""
    profile = _locked_calling_profile_of(user)
    valid = validated_call_settings(settings, profile=profile)
    before = asdict(call_settings_of(profile))
    profile.settings = {**(profile.settings or {}), **valid.as_json()}
    profile.save(update_fields=["settings"])
    record(
        actor=actor,
        action=AuditAction.CALLING_SETTINGS_CHANGED,
        target=profile,
        before=before,
        after=asdict(valid),
    )
    return valid


# --- calling details ----------------------------------------------------------------


def _check_caller_id_keeps_a_number(
    profile: CallingProfile, new_number: PhoneNumber | None
) -> None:
    if new_number is None and (profile.settings or {}).get("caller_id") == "own_number":
        raise errors.InvalidCallerId(
            "Caller ID is set to the user's own number, so the number cannot be "
            "removed: change the caller ID first, or give another number.",
            field="number",
        )


@transaction.atomic
def change_user_calling(*, user: Any, details: CallingDetails, actor: Actor) -> CallingProfile:
    """Change the location, number and/or extension of a user's calling, under the same
    rules as setting it up (``profiles.validated_details``); the number it no longer
    uses goes back to the inventory."""
    profile = _locked_calling_profile_of(user)
    before = profile_summary(profile)
    extension, phone = validated_details(details, profile=profile)
    check_extension_free(location=details.location, extension=extension, profile=profile)
    _check_caller_id_keeps_a_number(profile, phone)
    old_number = _number_of(profile)
    if old_number is not None and old_number != phone:
        old_number.profile = None
        old_number.save(update_fields=["profile"])
    profile.location = details.location
    profile.extension = extension or None
    save_extension(profile, ["location", "extension"])
    if phone is not None and phone.profile_id != profile.pk:
        phone.profile = profile
        phone.save(update_fields=["profile"])
    after = profile_summary(profile)
    if after != before:
        record(
            actor=actor,
            action=AuditAction.CALLING_USER_CHANGED,
            target=profile,
            before=before,
            after=after,
        )
    return profile


@transaction.atomic
def set_user_calling(*, user: Any, details: CallingDetails, actor: Actor) -> CallingProfile:
    """The calling page's *save*: change the user's calling details, or set calling up
    for a user who holds a calling license but has no calling data yet."""
    if CallingProfile.objects.filter(user=user).exists():
        return change_user_calling(user=user, details=details, actor=actor)
    if not holder_has_calling_license(user):
        raise errors.CallingLicenseRequired(
            f"{user} has no calling license: give the user a package with calling first "
            "(Change package), which asks for these details."
        )
    return provision_user_calling(user=user, details=details, actor=actor)
