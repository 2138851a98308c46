from __future__ import annotations

import re

from django import forms

from customers.services import SubscriptionSpec
from licensing import catalogue
from licensing.services.subscriptions import check_line_types
from partnerhub.errors import DomainError
from partnerhub.forms import EmailAddressField

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
    name = forms.CharField(max_length=200)
    slug = forms.CharField(
        label="Org id",
        max_length=50,
        help_text="Lowercase letters, digits, hyphens; the org's host name.",
    )
    country = forms.CharField(max_length=2, required=False, help_text="ISO code, e.g. NO")
    admin_email = EmailAddressField(label="First admin's e-mail")
    packages = forms.MultipleChoiceField(
        choices=catalogue.PACKAGE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    subscription = forms.CharField(
        required=False,
        label="Starting subscription",
        help_text="Optional: Sub-100234:webex_calling=50,webex_meetings=100",
    )

    def clean_subscription(self) -> list[SubscriptionSpec]:
        text = self.cleaned_data["subscription"].strip()
        return [parse_subscription_spec(text)] if text else []
