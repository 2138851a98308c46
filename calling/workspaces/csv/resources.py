"""The workspace CSV as a django-import-export ``Resource``: one declaration of the
columns, used by the export; the import (validation.py) reads the same columns."""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from calling.models import Workspace
from calling.workspaces.csv import columns as col
from calling.workspaces.selectors import workspace_list
from licensing.csv.resources import StrictBooleanWidget
from licensing.models import SubscriptionLine


class WorkspaceResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=col.NAME)
    location = fields.Field(column_name=col.LOCATION, readonly=True)
    phone = fields.Field(column_name=col.PHONE, readonly=True)
    extension = fields.Field(column_name=col.EXTENSION, readonly=True)

    class Meta:
        model = Workspace
        import_id_fields = ("name",)
        fields = ("name", "location", "phone", "extension")

    def __init__(self, *, lines: list[SubscriptionLine] | None = None) -> None:
        super().__init__()
        self.calling_lines = lines if lines is not None else col.lines()
        for line in self.calling_lines:
            field = fields.Field(
                column_name=col.line_header(line), widget=StrictBooleanWidget(), readonly=True
            )
            field.dehydrate_method = f"dehydrate_line_{line.pk}"
            # A dehydrate method bypasses the widget: render TRUE / FALSE as import reads.
            setattr(
                self,
                field.dehydrate_method,
                lambda ws, pk=line.pk, w=field.widget: w.render(pk in ws.held_lines),
            )
            self.fields[col.line_header(line)] = field

    def get_export_order(self) -> tuple[str, ...]:  # the contract's order
        declared = list(self._meta.fields)
        return (*declared, *(name for name in self.fields if name not in declared))

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return workspace_list()

    def iter_queryset(self, queryset):  # type: ignore[no-untyped-def]
        """One pass over the workspaces, prefetching per chunk (Django's iterator does
        with a chunk size); the library pages with OFFSET, which re-sorts the whole
        list per page (20,000 workspaces: 9 s instead of ~1 s)."""
        yield from queryset.iterator(chunk_size=2000)

    def export_resource(self, obj: Workspace, **kwargs: Any) -> list[Any]:
        obj.held_lines = {a.line_id for a in obj.calling_licenses}
        return super().export_resource(obj, **kwargs)

    def dehydrate_location(self, workspace: Workspace) -> str:
        return workspace.location.name

    def dehydrate_phone(self, workspace: Workspace) -> str:
        profile = getattr(workspace, "calling", None)
        number = getattr(profile, "number", None) if profile else None
        return number.e164 if number else ""

    def dehydrate_extension(self, workspace: Workspace) -> str:
        profile = getattr(workspace, "calling", None)
        return (profile.extension or "") if profile else ""
