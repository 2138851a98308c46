from __future__ import annotations

import re
from typing import Any

from django import forms

from customers.services import SubscriptionSpec
from customers.subscriptions.forms import MAX_QUANTITY
from licensing import catalogue
from licensing.services.subscriptions import check_line_types
from partnerhub.errors import DomainError
from partnerhub.forms import CountryField, EmailAddressField

SUBSCRIPTION_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(\d+)\s*$")


def parse_subscription_spec(text: str) -> SubscriptionSpec:
    """``Sub-100234:webex_calling=50,webex_meetings=100`` (codes or display names).
    The basic licenses are included with every org: a line of them is refused."""
    external_id, _, rest = text.partition(":")
    if not external_id.strip() or not rest.strip():
        raise forms.ValidationError(
            f"'{text}' is not a subscription: write Sub-ID:license_type=quantity,… "
            "for example Sub-100234:webex_calling=50,webex_meetings=100."
        )
    quantities: dict[str, int] = {}
    for part in rest.split(","):
        code, _, quantity = part.partition("=")
        lt = catalogue.LICENSE_TYPES.get(code.strip()) or next(
            (
                t
                for t in catalogue.LICENSE_TYPES.values()
                if t.name.casefold() == code.strip().casefold()
            ),
            None,
        )
        if lt is None or not quantity.strip().isdigit():
            raise forms.ValidationError(
                f"'{part.strip()}' in {external_id.strip()}: use license_type=quantity with a type "
                f"from {', '.join(catalogue.SOLD_LICENSE_TYPES)}."
            )
        quantities[lt.code] = int(quantity)
    try:
        check_line_types(quantities, external_id=external_id.strip())
    except DomainError as error:
        raise forms.ValidationError(error.message) from error
    return SubscriptionSpec(external_id=external_id.strip(), quantities=quantities)


class ProvisionCustomerForm(forms.Form):
    """The org's own fields; its starting subscriptions are ``SubscriptionRowsFormSet``."""

    name = forms.CharField(max_length=200)
    slug = forms.CharField(
        label="Org id",
        max_length=50,
        help_text="Lowercase letters, digits, hyphens; the org's host name.",
    )
    country = CountryField(required=False)
    admin_email = EmailAddressField(label="First admin's e-mail")
    packages = forms.MultipleChoiceField(
        choices=catalogue.PACKAGE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class SubscriptionRowForm(forms.Form):
    """One line of a starting subscription: subscription id, license type, quantity.
    A blank row is skipped; a half-filled one says what it lacks."""

    external_id = forms.CharField(label="Subscription id", max_length=40, required=False)
    license_type = forms.ChoiceField(
        label="Package or license",
        choices=[("", "Choose…"), *catalogue.SOLD_LICENSE_TYPE_CHOICES],
        required=False,
    )
    quantity = forms.IntegerField(
        label="Quantity", min_value=1, max_value=MAX_QUANTITY, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [data.get(name) not in (None, "") for name in self.fields]
        if any(filled) and not all(filled):
            missing = [
                self.fields[name].label.lower()
                for name, given in zip(self.fields, filled, strict=True)
                if not given and name not in self.errors
            ]
            if missing:
                raise forms.ValidationError(f"Give this row's {' and '.join(missing)} too.")
        return data


class BaseSubscriptionRowsFormSet(forms.BaseFormSet):
    """Rows grouped by subscription id into ``SubscriptionSpec``s; a license type given
    twice for one subscription is an error on the second row."""

    def clean(self) -> None:
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            if form.errors:
                continue
            row = form.cleaned_data
            key = (row.get("external_id", "").strip(), row.get("license_type", ""))
            if not key[0]:
                continue
            if key in seen:
                form.add_error("license_type", f"{key[0]} already has a row of this license type.")
            seen.add(key)
        if any(form.errors for form in self.forms):
            return
        for spec in self._specs():
            try:
                check_line_types(spec.quantities, external_id=spec.external_id)
            except DomainError as error:
                raise forms.ValidationError(error.message) from error

    def _specs(self) -> list[SubscriptionSpec]:
        grouped: dict[str, dict[str, int]] = {}
        for form in self.forms:
            row = form.cleaned_data
            external_id = (row.get("external_id") or "").strip()
            if external_id:
                grouped.setdefault(external_id, {})[row["license_type"]] = row["quantity"]
        return [SubscriptionSpec(external_id=sub, quantities=q) for sub, q in grouped.items()]

    def subscription_specs(self) -> list[SubscriptionSpec]:
        """The starting subscriptions, in the order first named (after ``is_valid()``;
        none for a formset that was not posted)."""
        return self._specs() if self.is_bound else []


SubscriptionRowsFormSet = forms.formset_factory(
    SubscriptionRowForm, formset=BaseSubscriptionRowsFormSet, extra=4, max_num=40, validate_max=True
)
