from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from partnerhub import rules
from partnerhub.errors import DomainError
from partnerhub.signin import SIGN_IN_REFUSED, may_sign_in_here


class SignInForm(AuthenticationForm):
    """Sign-in on either host. Who may sign in where is the authentication backend's
    rule (``partnerhub.signin.HostRoleBackend``); every refusal — wrong password,
    unknown account, inactive, no role on this host — says the same thing."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": SIGN_IN_REFUSED,
        "inactive": SIGN_IN_REFUSED,
    }


class HostPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending a link only to an account that may sign in on this
    host (also one still invited, without a password yet). The page answers the same
    whether or not a mail went out."""

    def save(self, *args: Any, request: Any = None, **kwargs: Any) -> None:  # type: ignore[override]
        self._request = request
        super().save(*args, request=request, **kwargs)

    def get_users(self, email: str) -> Iterator[Any]:
        from partnerhub.models import Account

        for account in Account.objects.filter(email__iexact=email.strip(), is_active=True):
            if may_sign_in_here(account, self._request):
                yield account


def add_domain_error(form: forms.Form, error: DomainError, field: str | None = None) -> None:
    """Show a domain error in place on a form (STYLE: one form helper): beside the
    field it names, or above the form when this form has no such field (a rule of a
    formset's row, of a service's own parameter) — never a 500."""
    named = error.details.get("field", field)
    form.add_error(named if named in form.fields else None, error.message)


class EmailAddressField(forms.CharField):
    """An e-mail address checked by the one rule (``partnerhub.rules``), with its
    messages, in place of Django's ``EmailField`` (which lets U+2024 and invisible
    characters through IDNA). Cleans to the key: trimmed and lower-cased."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", rules.MAX_EMAIL + 20)  # the rule gives the message
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> str:
        text = super().clean(value)
        if not text:
            return text
        email, problem = rules.email_problem(text)
        if problem is not None:
            raise forms.ValidationError(problem, code="invalid_email")
        return email


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes and English names, from django-countries (maintained
    with the standard), sorted by name: ``[("", "Choose a country"), ("AF", "Afghanistan"), …]``."""
    from django_countries import countries

    return [("", "Choose a country"), *((code, str(name)) for code, name in countries)]


def time_zone_choices() -> list[tuple[str, str]]:
    """The IANA time zones this Python knows (``zoneinfo.available_timezones()``),
    sorted: the same list the calling services accept."""
    from zoneinfo import available_timezones

    return [(name, name) for name in sorted(available_timezones())]


class CountryField(forms.ChoiceField):
    """A select of ISO 3166 countries; a typed code in any case (``no``) is accepted
    as its upper-case code, so scripts posting the form keep working."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "ISO 3166 country.")
        super().__init__(choices=country_choices, **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


class TimeZoneField(forms.ChoiceField):
    """A select of IANA time zones (``Europe/Oslo``), UTC first chosen."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("initial", "UTC")
        super().__init__(choices=time_zone_choices, **kwargs)
