"""The e-mail rule (partnerhub.rules.email_problem) accepts exactly the addresses
Django's validator accepts, however quickly it decides."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from partnerhub.rules import email_problem

ADDRESSES = [
    "kim@acme.example", "kim.lee+csv@acme.example", "o'brien@acme.example", "kim@localhost",
    "kim@[10.0.0.1]", "kim@[::1]", "kim@[999.1.1.1]", '"kim lee"@acme.example', "kim@acme",
    "kim..lee@acme.example", ".kim@acme.example", "kim.@acme.example", "kim@-acme.example",
    "kim@acme-.example", "kim@acme.example-", "kim@acme..example", "kim@@acme.example",
    "kim@acme.e", "kim@acme.123", "kim@xn--bcher-kva.example", "kim@bücher.example",
    "kim lee@acme.example", "@acme.example", "kim@", "kim", "a" * 64 + "@acme.example",
    "kim@" + "a" * 63 + ".example", "kim@" + "a" * 64 + ".example",
]  # fmt: skip


def django_accepts(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_is_refused_as_invalid_exactly_when_django_refuses_it(address):
    _, problem = email_problem(address)
    refused_as_invalid = problem is not None and "is not a valid e-mail address" in problem
    assert refused_as_invalid == (not django_accepts(address.lower()))
