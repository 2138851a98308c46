"""Forms of the workspace pages: they parse; ``calling.services.workspaces`` decides."""

from __future__ import annotations

from django import forms

from calling.models import Location
from licensing import catalogue
from licensing.csv.validation import ADD, ADD_REMOVE
from licensing.models import SubscriptionLine


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


class WorkspaceUploadForm(forms.Form):
    file = forms.FileField(label="Workspaces CSV")
    mode = forms.ChoiceField(
        choices=[(ADD, "Add services only"), (ADD_REMOVE, "Add and remove services")], initial=ADD
    )
    dry_run = forms.BooleanField(required=False, label="Validate only (dry run)")
