"""Bulk actions on the selected users of the users list (issue #11): change package,
delete, resend invitation, export the selection. Package changes and deletes are
previewed (dry run) with the calling-loss confirmation, then run as a task."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from licensing import bulk, selectors
from licensing.csv.jobs import start_user_import
from licensing.csv.validation import ADD_REMOVE
from licensing.forms import LineChoiceField
from licensing.models import OrgUser, SubscriptionLine
from licensing.services.users import resend_invitations
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.errors import DomainError
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin

ACTIONS = {
    "change_package": "Change package",
    "delete": "Delete",
    "resend_invitation": "Resend invitation",
    "export": "Export selection (CSV)",
}
MAX_SELECTION = 500


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    user = forms.TypedMultipleChoiceField(coerce=int, choices=[], label="Users")
    line = LineChoiceField(
        queryset=SubscriptionLine.objects.none(), required=False, label="New package",
        empty_label="Choose the new package",
    )  # fmt: skip
    confirm_calling_loss = forms.BooleanField(required=False)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = self.data.getlist("user") if hasattr(self.data, "getlist") else []
        existing = OrgUser.objects.filter(pk__in=[i for i in ids if str(i).isdigit()])
        self.fields["user"].choices = [(pk, pk) for pk in existing.values_list("pk", flat=True)]
        self.fields["line"].queryset = selectors.package_lines()

    def clean_user(self) -> list[int]:
        users = self.cleaned_data["user"]
        if len(users) > MAX_SELECTION:
            raise forms.ValidationError(
                f"At most {MAX_SELECTION} users at a time ({len(users)} selected): "
                "select fewer, or use the users CSV."
            )
        return users

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "change_package" and not data.get("line"):
            self.add_error("line", "Choose the package the selected users get.")
        return data


class BulkUsersView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_USERS

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"Nothing was changed: {error}")
            return redirect(_back(request))
        data = form.cleaned_data
        user_ids, action = data["user"], data["action"]
        actor = Actor.from_request(request)
        if action == "export":
            return csv_download(
                bulk.selection_csv(user_ids), filename=download_name("users-selection")
            )
        if action == "resend_invitation":
            sent = resend_invitations(users=bulk.selected_users(user_ids), actor=actor)
            skipped = len(user_ids) - len(sent)
            messages.success(
                request,
                f"Invitation sent again to {len(sent)} user(s)"
                + (f"; {skipped} skipped (not waiting for an invitation)." if skipped else "."),
            )
            return redirect(_back(request))
        return self._package_change(request, form, actor)

    def _package_change(self, request: HttpRequest, form: BulkForm, actor: Actor) -> HttpResponse:
        data = form.cleaned_data
        line = data["line"] if data["action"] == "change_package" else None
        preview = bulk.preview_package_change(user_ids=data["user"], line=line, actor=actor)
        needs_confirmation = (data["action"] == "delete" and not data["confirmed"]) or (
            preview.calling_losses and not data["confirm_calling_loss"]
        )
        if preview.errors or needs_confirmation:
            return render(
                request,
                "licensing/users/bulk_confirm.html",
                {
                    "preview": preview, "action": data["action"], "action_label": ACTIONS[data["action"]],
                    "line": line, "users": bulk.selected_users(data["user"]), "back": _back(request),
                },
                status=400 if preview.errors else 200,
            )  # fmt: skip
        try:
            job = start_user_import(
                actor=actor, file_name=f"bulk-{data['action'].replace('_', '-')}.csv",
                content=preview.content, mode=ADD_REMOVE,
                confirm_calling_loss=bool(preview.calling_losses),
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_back(request))
        return redirect("job-detail", pk=job.pk)


def _back(request: HttpRequest) -> str:
    """Back to the users list as it was (its filters and sort are in the URL)."""
    back = request.POST.get("back", "")
    return back if back.startswith("/users/") else "/users/"
