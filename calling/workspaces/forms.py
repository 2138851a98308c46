"""Forms of the workspace pages: they parse; ``calling.workspaces.services`` decides."""

from __future__ import annotations

from django import forms

from calling.models import Location
from licensing import catalogue
from licensing.models import SubscriptionLine
from licensing.views.csv import UploadForm


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SubscriptionLine) -> str:
        status = obj.subscription.get_status_display()
        return f"{obj.subscription.external_id} ({status}, {obj.quantity} bought)"


def _line_field(label: str) -> LineChoiceField:
    return LineChoiceField(
        queryset=SubscriptionLine.objects.filter(license_type=catalogue.WORKSPACE_CALLING)
        .select_related("subscription")
        .order_by("subscription__external_id"),
        required=False,
        empty_label="No calling",
        label=label,
    )


def _locations() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=Location.objects.order_by("name"))


class WorkspaceFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    location = forms.ModelChoiceField(
        queryset=Location.objects.order_by("name"), required=False, empty_label="Any location"
    )


class WorkspaceCreateForm(forms.Form):
    name = forms.CharField(max_length=120)
    location = _locations()
    line = _line_field("Workspace Calling from")
    extension = forms.CharField(max_length=10, required=False, help_text="2 to 10 digits.")
    number = forms.CharField(
        max_length=32, required=False, label="Phone number",
        help_text="A free number of the location, E.164 (+4722334455).",
    )  # fmt: skip


class WorkspaceEditForm(forms.Form):
    """Empty extension or number removes it (one of them stays while calling is on)."""

    name = forms.CharField(max_length=120)
    location = _locations()
    extension = forms.CharField(max_length=10, required=False)
    number = forms.CharField(max_length=32, required=False, label="Phone number")


class WorkspaceLicensesForm(forms.Form):
    """Edit licenses: the subscription the Workspace Calling license comes from."""

    line = _line_field("Workspace Calling from")
    extension = forms.CharField(
        max_length=10, required=False, help_text="Only when giving calling to the workspace."
    )
    number = forms.CharField(
        max_length=32, required=False, label="Phone number",
        help_text="Only when giving calling to the workspace.",
    )  # fmt: skip


class WorkspaceRestoreForm(forms.Form):
    """Restore calling: the subscription the license comes from."""

    line = _line_field("Workspace Calling from")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].required = True
        self.fields["line"].empty_label = None


class WorkspaceUploadForm(UploadForm):
    """The users CSV's upload form (mode, dry run, calling-loss confirmation, the 10 MB
    limit checked before the file is read) in the workspaces' words."""

    file = forms.FileField(label="Workspaces CSV")
    confirm_calling_loss = forms.BooleanField(
        required=False,
        label="Confirm calling loss: workspaces this file takes calling from lose their "
        "license, number, extension, voicemail and call settings (kept 30 days to restore)",
    )
