"""The picker of a location's free numbers on the forms that give a user a number
(issue #11 item 9): a text input with a ``<datalist>`` per location, filled by the
server. It works without JavaScript (the chosen location's numbers are offered, any
number may still be typed, and the same service checks it); ``calling/free_numbers.js``
switches the offered list when another location is chosen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from calling.models import PhoneNumber

# Numbers offered per location: enough to pick from, small enough for a page.
OFFERED_PER_LOCATION = 100


def free_numbers_by_location(*, per_location: int = OFFERED_PER_LOCATION) -> dict[int, list[str]]:
    """``{location id: [E.164, …]}``: the lowest ``per_location`` numbers of each
    location that nobody holds (no profile, no service), in one query."""
    ranked = (
        PhoneNumber.objects.filter(profile__isnull=True, service="")
        .annotate(rank=Window(RowNumber(), partition_by=F("location_id"), order_by=F("e164").asc()))
        .filter(rank__lte=per_location)
        .values_list("location_id", "e164")
        .order_by("location_id", "e164")
    )
    offered: dict[int, list[str]] = {}
    for location_id, e164 in ranked:
        offered.setdefault(location_id, []).append(e164)
    return offered


class FreeNumberInput(forms.TextInput):
    """A phone-number input offering the free numbers of the location chosen in the
    form's ``location_field`` (read when rendered, so a bound form keeps its choice)."""

    template_name = "calling/widgets/free_number.html"

    def __init__(self, *, location_field: str = "location", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.location_field = location_field
        self.location_id: str = ""
        self.location_input_id: str = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        input_id = context["widget"]["attrs"].get("id", name)
        lists = [
            {"id": f"{input_id}-free-{location_id}", "location": location_id, "numbers": numbers}
            for location_id, numbers in free_numbers_by_location().items()
        ]
        chosen = next((lst["id"] for lst in lists if str(lst["location"]) == self.location_id), "")
        if chosen:
            context["widget"]["attrs"]["list"] = chosen
        context["widget"]["attrs"]["data-location-input"] = self.location_input_id
        context["widget"]["attrs"]["autocomplete"] = "off"
        context["free_number_lists"] = lists
        return context


class FreeNumberPickerMixin(forms.Form):
    """Wires every ``FreeNumberInput`` of the form to its location field's value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, FreeNumberInput) and widget.location_field in self.fields:
                location = self[widget.location_field]
                widget.location_id = str(location.value() or "")
                widget.location_input_id = location.auto_id or ""
