"""Forms of the licensing pages: they parse; the services decide (STYLE)."""

from __future__ import annotations

from typing import Any

from django import forms

from calling.models import Location
from calling.pickers import FreeNumberInput, FreeNumberPickerMixin
from calling.rules import spreadsheet_hint
from licensing import catalogue, selectors
from licensing.models import Group, SubscriptionLine, UserStatus
from licensing.services.subscriptions import MAX_QUANTITY
from licensing.services.users import MAX_BATCH, UserEntry

PACKAGE_FILTER_CHOICES = [("", "Any package"), ("none", "No package"), *catalogue.PACKAGE_CHOICES]
STATUS_FILTER_CHOICES = [("", "Any status"), *UserStatus.choices]


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SubscriptionLine) -> str:
        used = getattr(obj, "used", None)
        usage = f" — {used} of {obj.quantity} used" if used is not None else ""
        return f"{obj}{usage}"


class UserFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.TextInput(attrs={"placeholder": "E-mail or name"}),
    )
    package = forms.ChoiceField(required=False, choices=PACKAGE_FILTER_CHOICES)
    status = forms.ChoiceField(required=False, choices=STATUS_FILTER_CHOICES)


class UserEditForm(forms.Form):
    first_name = forms.CharField(required=False, max_length=64)
    last_name = forms.CharField(required=False, max_length=64)
    # A textarea: a display name may hold a line break (partnerhub.rules), which an
    # <input type=text> would drop from its value on every save.
    display_name = forms.CharField(
        required=False, max_length=128, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(choices=UserStatus.choices)
    jabber_calling = forms.BooleanField(required=False)
    jabber_with_teams = forms.BooleanField(required=False, label="Jabber with Webex Teams")
    preferred_site = forms.CharField(required=False, max_length=200, label="Preferred Webex site")
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CallingFieldsMixin(FreeNumberPickerMixin):
    location = forms.ModelChoiceField(
        queryset=Location.objects.order_by("name"),
        required=False,
        help_text="Needed for packages with calling.",
    )
    extension = forms.CharField(required=False, max_length=10)
    number = forms.CharField(
        required=False,
        max_length=16,
        label="Phone number",
        widget=FreeNumberInput(),
        help_text="A free number of the location (start typing to pick one), E.164, "
        "for example +4722334455.",
    )


class AddUsersForm(CallingFieldsMixin):
    """Manual add (SPEC §3): one user per line, up to 25."""

    MODE_EMAILS = "emails"
    MODE_NAMES = "names"

    mode = forms.ChoiceField(
        choices=[
            (MODE_EMAILS, "E-mail addresses only"),
            (MODE_NAMES, "Names and e-mail addresses"),
        ],
        initial=MODE_EMAILS,
        widget=forms.RadioSelect,
    )
    entries = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 70}),
        help_text=(
            f"One user per line, at most {MAX_BATCH}. E-mails only: <code>email</code>; "
            "names and e-mails: <code>first name, last name, email</code>. For a package with "
            "calling add <code>, extension</code> or <code>, +number</code> at the end."
        ),
    )
    package_line = LineChoiceField(
        queryset=SubscriptionLine.objects.none(),
        required=False,
        empty_label="No package (the template decides)",
        label="Package",
    )
    contact_center = forms.ChoiceField(
        required=False,
        label="Contact center",
        choices=[
            ("", "None"),
            (catalogue.CC_STANDARD, "Standard Agent"),
            (catalogue.CC_PREMIUM, "Premium Agent"),
        ],
    )
    contact_center_role = forms.ChoiceField(
        required=False,
        label="Contact-center role (Premium)",
        choices=[("agent", "Agent"), ("supervisor", "Supervisor")],
    )
    send_invitations = forms.BooleanField(required=False, label="Send invitation e-mails")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package_line"].queryset = selectors.package_lines()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = [ln.strip() for ln in (data.get("entries") or "").splitlines() if ln.strip()]
        mode = data.get("mode")
        parsed = []
        for number, raw in enumerate(lines, start=1):
            parts = [p.strip() for p in raw.split(",")]
            want = 3 if mode == self.MODE_NAMES else 1
            if len(parts) not in (want, want + 1):
                shape = "first name, last name, email" if want == 3 else "email"
                self.add_error("entries", f"Line {number}: write '{shape}' ('{raw}').")
                continue
            extra = parts[want] if len(parts) > want else ""
            names = parts[:2] if want == 3 else ["", ""]
            hint = None if extra.startswith("+") else spreadsheet_hint(extra)
            if hint is not None:  # a mangled number is never silently an extension
                self.add_error("entries", f"Line {number}: {hint}")
                continue
            parsed.append(
                UserEntry(
                    email=parts[want - 1],
                    first_name=names[0],
                    last_name=names[1],
                    extension="" if extra.startswith("+") else extra,
                    number=extra if extra.startswith("+") else "",
                )
            )
        data["parsed_entries"] = parsed
        return data


class ChangePackageForm(CallingFieldsMixin):
    line = LineChoiceField(
        queryset=SubscriptionLine.objects.none(),
        required=False,
        empty_label="No package (unassign)",
        label="New package",
    )
    confirm_calling_loss = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = selectors.package_lines()


class EditLicensesForm(forms.Form):
    """Per license the user holds: the subscription it is drawn from (SPEC §5)."""

    def __init__(self, *args: Any, assignments: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignments = assignments
        for assignment in assignments:
            self.fields[f"license_{assignment.pk}"] = LineChoiceField(
                queryset=selectors.lines_for_move(assignment),
                initial=assignment.line_id,
                empty_label=None,
                widget=forms.RadioSelect,
                label=assignment.get_license_type_display(),
            )


class SubscriptionForm(forms.Form):
    """Quantities of a subscription's lines."""

    def __init__(self, *args: Any, subscription: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for line in subscription.lines.all():
            self.fields[line.license_type] = forms.IntegerField(
                min_value=0,
                max_value=MAX_QUANTITY,
                initial=line.quantity,
                label=line.get_license_type_display(),
                help_text=f"{getattr(line, 'used', 0)} in use",
            )


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    group = forms.ModelChoiceField(
        queryset=Group.objects.order_by("name"),
        required=False,
        empty_label="The whole organisation",
        help_text="A group's template wins over the org's.",
    )
    lines = LineChoiceField(queryset=SubscriptionLine.objects.none(), required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Active")
    keep_licenses_for_existing_users = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"] = forms.ModelMultipleChoiceField(
            queryset=selectors.usable_lines(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Licenses new users get",
            help_text="Every new user also gets Basic Messaging, Basic Space Meetings and "
            "Call on Webex: they are included with every org.",
        )


class GroupForm(forms.Form):
    name = forms.CharField(max_length=120, label="New group")
