"""A user's calling section: details, voicemail, call settings, restore calling."""

from __future__ import annotations

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


class UserCallingDetailsView(TenantCapabilityRequiredMixin, View):
    """Save location / number / extension (or set calling up for a licensed user)."""

    capability = USER_CALLING

    def post(self, request: HttpRequest, user_id: int) -> HttpResponse:
        user = get_user(user_id)
        form = CallingDetailsForm(request.POST)
        if form.is_valid():
            details = CallingDetails(**form.cleaned_data)
            try:
                calling_settings.set_user_calling(
                    user=user, details=details, actor=Actor.from_request(request)
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"Calling of {user.email} saved.")
                return redirect("calling-user", user_id=user.pk)
        return _page(request, user, details_form=form)


class UserVoicemailView(TenantCapabilityRequiredMixin, View):
    capability = USER_CALLING

    def post(self, request: HttpRequest, user_id: int) -> HttpResponse:
        user = get_user(user_id)
        form = VoicemailForm(request.POST)
        if form.is_valid():
            try:
                calling_settings.set_voicemail(
                    user=user,
                    enabled=form.cleaned_data["enabled"],
                    pin=form.cleaned_data["pin"],
                    actor=Actor.from_request(request),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"Voicemail of {user.email} saved.")
                return redirect("calling-user", user_id=user.pk)
        return _page(request, user, voicemail_form=form)


class UserCallSettingsView(TenantCapabilityRequiredMixin, View):
    capability = USER_CALLING

    def post(self, request: HttpRequest, user_id: int) -> HttpResponse:
        user = get_user(user_id)
        form = CallSettingsForm(request.POST)
        if form.is_valid():
            try:
                calling_settings.update_call_settings(
                    user=user,
                    settings=form.call_settings(),
                    actor=Actor.from_request(request),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"Call settings of {user.email} saved.")
                return redirect("calling-user", user_id=user.pk)
        return _page(request, user, settings_form=form)


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
