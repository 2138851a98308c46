"""Forms of the calling pages (SPEC §6): they parse; the services decide."""

from __future__ import annotations

import re

from django import forms

from calling.models import Location
from calling.pickers import FreeNumberInput, FreeNumberPickerMixin
from calling.selectors import NUMBER_STATES
from calling.services.settings import CALLER_IDS, FORWARDING_MODES, PIN_RULE, CallSettings
from partnerhub.errors import DomainError
from partnerhub.forms import CountryField, TimeZoneField


class LocationForm(forms.Form):
    name = forms.CharField(max_length=120)
    country = CountryField()
    address = forms.CharField(max_length=255, required=False)
    time_zone = TimeZoneField()
    main_number = forms.CharField(
        max_length=20, required=False, help_text="E.164, for example +4722334455."
    )


class AddNumbersForm(forms.Form):
    location = forms.ModelChoiceField(queryset=Location.objects.order_by("name"))
    numbers = forms.CharField(
        label="Numbers",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One number (+4722000001), a list (one per line or separated by commas), "
        "or a range: the lowest and the highest number with a dash "
        "(+4722000000-+4722000099).",
    )

    def numbers_or_range(self) -> list[str] | str:
        """A range spec as one string (the service expands it), or a list of numbers."""
        text = self.cleaned_data["numbers"].strip()
        parts = [p for p in re.split(r"[\s,;]+", text) if p]
        if len(parts) == 1 and "-" in parts[0]:
            return parts[0]
        if len(parts) == 3 and parts[1] == "-":  # "+47… - +47…"
            return f"{parts[0]}-{parts[2]}"
        return parts


class NumberFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    location = forms.ModelChoiceField(
        queryset=Location.objects.order_by("name"), required=False, empty_label="Any"
    )
    state = forms.ChoiceField(choices=[("", "Any"), *NUMBER_STATES], required=False)


class CallingDetailsForm(FreeNumberPickerMixin):
    location = forms.ModelChoiceField(queryset=Location.objects.order_by("name"))
    number = forms.CharField(
        max_length=32,
        required=False,
        label="Phone number",
        widget=FreeNumberInput(),
        help_text="A free number of the location's inventory (start typing to pick one), "
        "E.164, for example +4722334455.",
    )
    extension = forms.CharField(max_length=32, required=False, help_text="2 to 10 digits.")


class VoicemailForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Voicemail on")
    pin = forms.CharField(
        required=False,
        label="PIN",
        max_length=32,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=f"{PIN_RULE}. Leave empty to keep the current PIN.",
    )


class CallSettingsForm(forms.Form):
    forwarding = forms.ChoiceField(label="Call forwarding", choices=FORWARDING_MODES.items())
    forward_to = forms.CharField(
        max_length=32,
        required=False,
        label="Forward to",
        help_text="An E.164 number (+4722334455) or an extension of this organisation.",
    )
    do_not_disturb = forms.BooleanField(required=False, label="Do not disturb")
    caller_id = forms.ChoiceField(label="Caller ID", choices=CALLER_IDS.items())

    @classmethod
    def for_settings(cls, settings: CallSettings) -> CallSettingsForm:
        return cls(
            initial={
                "forwarding": settings.forwarding,
                "forward_to": settings.forward_to,
                "do_not_disturb": settings.do_not_disturb,
                "caller_id": settings.caller_id,
            }
        )

    def call_settings(self) -> CallSettings:
        data = self.cleaned_data
        return CallSettings(
            forwarding=data["forwarding"],
            forward_to=data["forward_to"],
            do_not_disturb=data["do_not_disturb"],
            caller_id=data["caller_id"],
        )


def show_domain_error(form: forms.Form, error: DomainError, *, field: str | None = None) -> None:
    """``add_domain_error``, placing the error on ``field`` when the service names a field
    this form does not have (``number`` for a location's main number, for instance)."""
    named = error.details.get("field")
    form.add_error(named if named in form.fields else field, error.message)
