"""A user's calling section: details, voicemail, call settings, restore calling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from calling import selectors
from calling.forms import CallingDetailsForm, CallSettingsForm, VoicemailForm, show_domain_error
from calling.services import settings as calling_settings
from calling.services.profiles import CallingDetails
from calling.services.snapshots import restore_calling
from licensing.models import OrgUser
from licensing.views.common import get_user
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can

# A user's calling is a user's data: the user admins who give packages with calling
# change it too (locations and numbers need MANAGE_ORG).
USER_CALLING = Capability.MANAGE_USERS


def _page(request: HttpRequest, user: OrgUser, **forms_in_error: forms.Form) -> HttpResponse:
    state = selectors.user_calling(user)
    profile, number = state["profile"], state["number"]
    details_initial = (
        {
            "location": profile.location_id,
            "number": number.e164 if number else "",
            "extension": profile.extension or "",
        }
        if profile
        else {}
    )
    context = {
        "org_user": user,
        **state,
        "details_form": forms_in_error.get("details_form")
        or CallingDetailsForm(initial=details_initial),
        "voicemail_form": forms_in_error.get("voicemail_form")
        or VoicemailForm(initial={"enabled": profile.voicemail_enabled if profile else False}),
        "settings_form": forms_in_error.get("settings_form")
        or (CallSettingsForm.for_settings(state["call_settings"]) if profile else None),
        "forwarding_modes": calling_settings.FORWARDING_MODES,
        "caller_ids": calling_settings.CALLER_IDS,
        "can_manage": request_can(request, USER_CALLING),
    }
    return render(request, "calling/users/calling.html", context)


class UserCallingView(TenantCapabilityRequiredMixin, View):
    """The user's calling: location, number, extension, voicemail, call settings."""

    def get(self, request: HttpRequest, user_id: int) -> HttpResponse:
        return _page(request, get_user(user_id))


class UserCallingFormView(TenantCapabilityRequiredMixin, View):
    """POST one form of the user's calling page to its service: back to the page with
    a message, or the page again with the form's errors in place."""

    capability = USER_CALLING
    form_class: type
    form_name: str  # the page's context name of this form
    saved: str  # "Calling", "Voicemail", "Call settings"

    def save(self, *, user: Any, form: Any, actor: Actor) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, user_id: int) -> HttpResponse:
        user = get_user(user_id)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(user=user, form=form, actor=Actor.from_request(request))
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"{self.saved} of {user.email} saved.")
                return redirect("calling-user", user_id=user.pk)
        return _page(request, user, **{self.form_name: form})


class UserCallingDetailsView(UserCallingFormView):
    """Save location / number / extension (or set calling up for a licensed user)."""

    form_class, form_name, saved = CallingDetailsForm, "details_form", "Calling"

    def save(self, *, user: Any, form: Any, actor: Actor) -> None:
        calling_settings.set_user_calling(
            user=user, details=CallingDetails(**form.cleaned_data), actor=actor
        )


class UserVoicemailView(UserCallingFormView):
    form_class, form_name, saved = VoicemailForm, "voicemail_form", "Voicemail"

    def save(self, *, user: Any, form: Any, actor: Actor) -> None:
        calling_settings.set_voicemail(
            user=user, enabled=form.cleaned_data["enabled"], pin=form.cleaned_data["pin"],
            actor=actor,
        )  # fmt: skip


class UserCallSettingsView(UserCallingFormView):
    form_class, form_name, saved = CallSettingsForm, "settings_form", "Call settings"

    def save(self, *, user: Any, form: Any, actor: Actor) -> None:
        calling_settings.update_call_settings(user=user, settings=form.call_settings(), actor=actor)


class UserRestoreCallingView(TenantCapabilityRequiredMixin, View):
    """*Restore calling*: the result page lists what came back and what could not."""

    capability = USER_CALLING

    def post(self, request: HttpRequest, user_id: int) -> HttpResponse:
        user = get_user(user_id)
        try:
            result = restore_calling(holder=user, actor=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("calling-user", user_id=user.pk)
        return render(
            request, "calling/users/restore_result.html", {"org_user": user, "result": result}
        )
