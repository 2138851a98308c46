"""The user CSV as a django-import-export ``Resource``: one declaration of every
column (SPEC §4). Export uses it directly; the bulk importer (validation.py,
applying.py) reads the same columns; ``import_data`` row by row is the library
default we measure against (bench/csv_import.py)."""

from __future__ import annotations

from typing import Any

from import_export import fields, resources, widgets

from licensing import catalogue, selectors
from licensing.csv import columns as col
from licensing.models import OrgUser, SubscriptionLine
from licensing.services.licenses import assign_license
from partnerhub.audit.services import Actor


class StrictBooleanWidget(widgets.BooleanWidget):
    """TRUE / FALSE in any case, blank = no change; anything else is an error (the
    library's BooleanWidget turns unknown words into False silently)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if text.upper() not in ("TRUE", "FALSE"):
            raise ValueError(f"'{text}' is not TRUE or FALSE.")
        return text.upper() == "TRUE"

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "TRUE" if value else "FALSE"


def as_true_false(value: bool) -> str:
    """A dehydrate method's value skips the field's widget: render it here."""
    return StrictBooleanWidget().render(value)


def _holds(code: str):  # type: ignore[no-untyped-def]
    def dehydrate(user: OrgUser) -> str:
        return as_true_false(code in user.held_types)

    return dehydrate


class UserResource(resources.ModelResource):
    first_name = fields.Field(attribute="first_name", column_name=col.FIRST_NAME)
    last_name = fields.Field(attribute="last_name", column_name=col.LAST_NAME)
    display_name = fields.Field(attribute="display_name", column_name=col.DISPLAY_NAME)
    email = fields.Field(attribute="email", column_name=col.EMAIL)
    status = fields.Field(column_name=col.STATUS, readonly=True)
    phone = fields.Field(column_name=col.PHONE, readonly=True)
    extension = fields.Field(column_name=col.EXTENSION, readonly=True)
    location = fields.Field(column_name=col.LOCATION, readonly=True)
    jabber_calling = fields.Field(
        attribute="jabber_calling", column_name=col.JABBER_CALLING, widget=StrictBooleanWidget()
    )
    jabber_with_teams = fields.Field(
        attribute="jabber_with_teams", column_name=col.JABBER_TEAMS, widget=StrictBooleanWidget()
    )
    preferred_site = fields.Field(attribute="preferred_site", column_name=col.SITE)

    class Meta:
        model = OrgUser
        import_id_fields = ("email",)
        fields = (
            "first_name", "last_name", "display_name", "email", "status", "phone", "extension",
            "location", "jabber_calling", "jabber_with_teams", "preferred_site",
        )  # fmt: skip
        skip_unchanged = False

    def __init__(
        self, *, lines: list[SubscriptionLine] | None = None, actor: Actor | None = None
    ) -> None:
        super().__init__()
        self.actor = actor or Actor.system("csv")
        self.package_lines = lines if lines is not None else col.package_lines()
        for column, code in [*col.BASIC_COLUMNS.items(), (col.CC_STANDARD, catalogue.CC_STANDARD),
                             (col.CC_PREMIUM, catalogue.CC_PREMIUM)]:  # fmt: skip
            self._add_license_field(column, code)
        for line in self.package_lines:
            self._add_line_field(col.package_header(line), line)

    def _add_license_field(self, column: str, code: str) -> None:
        field = fields.Field(column_name=column, widget=StrictBooleanWidget(), readonly=True)
        field.dehydrate_method = f"dehydrate_{code}"
        setattr(self, field.dehydrate_method, _holds(code))
        self.fields[column] = field

    def _add_line_field(self, header: str, line: SubscriptionLine) -> None:
        field = fields.Field(column_name=header, widget=StrictBooleanWidget(), readonly=True)
        field.dehydrate_method = f"dehydrate_line_{line.pk}"
        setattr(
            self,
            field.dehydrate_method,
            lambda user, pk=line.pk: as_true_false(pk in user.held_lines),
        )
        self.fields[header] = field

    def get_export_order(self) -> tuple[str, ...]:  # the contract's order
        declared = [name for name in self._meta.fields]
        return (*declared, *(name for name in self.fields if name not in declared))

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return OrgUser.objects.select_related(
            "calling__location", "calling__number"
        ).prefetch_related("licenses")

    def export_resource(self, obj: OrgUser, **kwargs: Any) -> list[Any]:
        licenses = list(obj.licenses.all())
        obj.held_types = {a.license_type for a in licenses} | set(selectors.basic_licenses_of(obj))
        obj.held_lines = {a.line_id for a in licenses}
        return super().export_resource(obj, **kwargs)

    def dehydrate_status(self, user: OrgUser) -> str:
        return user.get_status_display()

    def dehydrate_phone(self, user: OrgUser) -> str:
        profile = getattr(user, "calling", None)
        number = getattr(profile, "number", None) if profile else None
        return number.e164 if number else ""

    def dehydrate_extension(self, user: OrgUser) -> str:
        profile = getattr(user, "calling", None)
        return (profile.extension or "") if profile else ""

    def dehydrate_location(self, user: OrgUser) -> str:
        profile = getattr(user, "calling", None)
        return profile.location.name if profile else ""

    # --- the library's row-by-row import (the baseline of bench/csv_import.py) -------
    def after_save_instance(self, instance: OrgUser, row: Any, **kwargs: Any) -> None:
        held = set(instance.licenses.values_list("line_id", flat=True))
        for line in self.package_lines:
            if (
                str(row.get(col.package_header(line), "")).strip().upper() == "TRUE"
                and line.pk not in held
            ):
                assign_license(line=line, user=instance, actor=self.actor)
