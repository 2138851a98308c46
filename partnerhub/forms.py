from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection

from partnerhub import permissions
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
