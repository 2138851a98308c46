from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection

from partnerhub import permissions, rules
from partnerhub.errors import DomainError


class SignInForm(AuthenticationForm):
    """Sign-in on either host. On a customer host the account must hold a role in
    that org (support staff may sign in for the tenant's Django admin)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_access": "This account has no access to this organisation.",
    }

    def confirm_login_allowed(self, user) -> None:  # type: ignore[no-untyped-def]
        super().confirm_login_allowed(user)
        if connection.schema_name == "public" or user.is_staff:
            return
        if permissions.customer_role(user, self.request.tenant) is None:
            raise forms.ValidationError(self.error_messages["no_access"], code="no_access")


def add_domain_error(form: forms.Form, error: DomainError, field: str | None = None) -> None:
    """Show a domain error in place on a form (STYLE: one form helper)."""
    form.add_error(error.details.get("field", field), error.message)


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
