"""Forms of the partner-side subscription page: one quantity field per license type."""

from __future__ import annotations

from typing import Any

from django import forms

from customers.subscriptions.services import SubscriptionView
from licensing import catalogue

MAX_QUANTITY = 1_000_000


def _quantity_fields(form: forms.Form, initial: dict[str, int], used: dict[str, int]) -> None:
    for code, license_type in catalogue.LICENSE_TYPES.items():
        form.fields[f"qty_{code}"] = forms.IntegerField(
            min_value=0,
            max_value=MAX_QUANTITY,
            required=False,
            initial=initial.get(code),
            label=license_type.name,
            help_text=f"{used[code]} in use" if code in used else "",
        )


def quantities_from(form: forms.Form) -> dict[str, int]:
    """``{license type: quantity}`` of the filled-in quantity fields."""
    return {
        name.removeprefix("qty_"): value
        for name, value in form.cleaned_data.items()
        if name.startswith("qty_") and value is not None
    }


class AddSubscriptionForm(forms.Form):
    external_id = forms.CharField(
        label="Subscription id", max_length=40, help_text="For example Sub-100234."
    )
    end_date = forms.DateField(required=False, help_text="Optional, YYYY-MM-DD.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _quantity_fields(self, {}, {})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not quantities_from(self):
            raise forms.ValidationError("Give a quantity for at least one license type.")
        return data


class ChangeSubscriptionForm(forms.Form):
    """Quantities (a blank field leaves the license type as it is) and the end date
    (blank: no end date)."""

    end_date = forms.DateField(required=False, help_text="YYYY-MM-DD; blank for none.")

    def __init__(self, *args: Any, subscription: SubscriptionView, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"end_date": subscription.end_date})
        super().__init__(*args, **kwargs)
        _quantity_fields(
            self,
            {line.license_type: line.quantity for line in subscription.lines},
            {line.license_type: line.used for line in subscription.lines},
        )


class EnabledPackagesForm(forms.Form):
    packages = forms.MultipleChoiceField(
        choices=catalogue.PACKAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Packages the organisation may use",
    )
