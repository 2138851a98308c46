"""Workspace pages (issue #4 item 6): list, create, detail/edit, edit licenses, delete
with a preview, CSV upload and export. Thin: forms parse, services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from calling import errors
from calling.models import Workspace
from calling.workspaces import services as service
from calling.workspaces.csv.exports import export_workspaces_csv
from calling.workspaces.csv.jobs import start_workspace_import
from calling.workspaces.forms import (
    WorkspaceCreateForm,
    WorkspaceEditForm,
    WorkspaceFilterForm,
    WorkspaceLicensesForm,
    WorkspaceRestoreForm,
    WorkspaceUploadForm,
)
from calling.workspaces.selectors import workspace_list
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can


def get_workspace(pk: int) -> Workspace:
    """A workspace of this org (another org's ids do not exist in this schema: 404)."""
    return get_object_or_404(workspace_list(), pk=pk)


class WorkspaceListView(TenantCapabilityRequiredMixin, ListView):
    template_name = "calling/workspaces/list.html"
    context_object_name = "workspaces"
    paginate_by = 50

    def get_queryset(self) -> Any:
        self.filters = WorkspaceFilterForm(self.request.GET or None)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        location = data.get("location")
        return workspace_list(
            search=(data.get("q") or "").strip(), location_id=location.pk if location else None
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filters=self.filters,
            can_manage_org=request_can(self.request, Capability.MANAGE_ORG),
            **kwargs,
        )


class WorkspaceCreateView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, WorkspaceCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WorkspaceCreateForm(request.POST)
        if form.is_valid():
            try:
                workspace = service.create_workspace(
                    actor=Actor.from_request(request), **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error, "name")
            else:
                messages.success(request, f"Workspace {workspace} was created.")
                return redirect("calling-workspace-detail", pk=workspace.pk)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: WorkspaceCreateForm) -> HttpResponse:
        return render(
            request,
            "licensing/form.html",
            {
                "title": "New workspace",
                "form": form,
                "submit": "Create workspace",
                "cancel": reverse("calling-workspace-list"),
            },
        )


class WorkspaceDetailView(TenantCapabilityRequiredMixin, View):
    """The workspace and its calling; POST saves the edit form (name, location,
    number, extension)."""

    write_capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        return self._render(request, workspace, WorkspaceEditForm(initial=_initial(workspace)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        form = WorkspaceEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            has_calling = getattr(workspace, "calling", None) is not None
            try:
                service.update_workspace(
                    workspace=workspace, actor=Actor.from_request(request),
                    name=data["name"], location=data["location"],
                    extension=data["extension"] if has_calling or data["extension"] else None,
                    number=data["number"] if has_calling or data["number"] else None,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error, "name")
            else:
                messages.success(request, f"Workspace {data['name']} was saved.")
                return redirect("calling-workspace-detail", pk=pk)
        return self._render(request, workspace, form)

    def _render(
        self, request: HttpRequest, workspace: Workspace, form: WorkspaceEditForm
    ) -> HttpResponse:
        held = workspace.calling_licenses
        return render(
            request,
            "calling/workspaces/detail.html",
            {
                "workspace": workspace,
                "profile": getattr(workspace, "calling", None),
                "license": held[0] if held else None,
                "form": form,
                "restore_form": WorkspaceRestoreForm()
                if not held and service.has_restorable_calling(workspace)
                else None,
                "can_manage_org": request_can(request, Capability.MANAGE_ORG),
            },
        )


def _initial(workspace: Workspace) -> dict[str, Any]:
    profile = getattr(workspace, "calling", None)
    number = getattr(profile, "number", None) if profile else None
    return {
        "name": workspace.name,
        "location": workspace.location_id,
        "extension": (profile.extension or "") if profile else "",
        "number": number.e164 if number else "",
    }


class WorkspaceLicensesView(TenantCapabilityRequiredMixin, View):
    """Edit licenses: another subscription moves the license (calling data kept);
    "No calling" removes calling after a confirmation page listing what is lost."""

    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        held = workspace.calling_licenses
        form = WorkspaceLicensesForm(initial={"line": held[0].line_id if held else None})
        return self._render(request, workspace, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        form = WorkspaceLicensesForm(request.POST)
        if not form.is_valid():
            return self._render(request, workspace, form)
        data = form.cleaned_data
        try:
            service.set_workspace_license(
                workspace=workspace, line=data["line"], actor=Actor.from_request(request),
                extension=data["extension"], number=data["number"],
                confirm_calling_loss=request.POST.get("confirm_calling_loss") == "on",
            )  # fmt: skip
        except errors.CallingLossNotConfirmed as error:
            return render(
                request,
                "calling/workspaces/confirm.html",
                {
                    "title": f"Remove calling from {workspace}?",
                    "message": error.message,
                    "lost": error.details.get("lost", []),
                    "confirm_field": "confirm_calling_loss",
                    "hidden": {"line": ""},
                    "submit": "Remove calling",
                    "cancel": reverse("calling-workspace-detail", args=[workspace.pk]),
                },
            )
        except DomainError as error:
            add_domain_error(form, error, "line")
            return self._render(request, workspace, form)
        messages.success(request, f"Licenses of {workspace} saved; calling data unchanged.")
        return redirect("calling-workspace-detail", pk=workspace.pk)

    def _render(
        self, request: HttpRequest, workspace: Workspace, form: WorkspaceLicensesForm
    ) -> HttpResponse:
        return render(
            request, "calling/workspaces/licenses.html", {"workspace": workspace, "form": form}
        )


class WorkspaceRestoreView(TenantCapabilityRequiredMixin, View):
    """*Restore calling*: the result page lists what came back and what could not."""

    capability = Capability.MANAGE_ORG

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        form = WorkspaceRestoreForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the subscription the license comes from.")
            return redirect("calling-workspace-detail", pk=pk)
        try:
            result = service.restore_workspace_calling(
                workspace=workspace, line=form.cleaned_data["line"],
                actor=Actor.from_request(request),
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("calling-workspace-detail", pk=pk)
        return render(
            request, "calling/workspaces/restore_result.html",
            {"workspace": workspace, "result": result},
        )  # fmt: skip


class WorkspaceDeleteView(TenantCapabilityRequiredMixin, View):
    """GET: what is lost. POST with ``confirm``: delete (calling kept 30 days)."""

    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        return self._confirm(request, workspace, service.deletion_preview(workspace))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workspace = get_workspace(pk)
        try:
            service.delete_workspace(
                workspace=workspace,
                actor=Actor.from_request(request),
                confirm=request.POST.get("confirm") == "on",
            )
        except errors.WorkspaceDeletionNotConfirmed as error:
            return self._confirm(request, workspace, error.details.get("lost", []))
        messages.success(request, f"Workspace {workspace} was deleted.")
        return redirect("calling-workspace-list")

    def _confirm(self, request: HttpRequest, workspace: Workspace, lost: list[str]) -> HttpResponse:
        return render(
            request,
            "calling/workspaces/confirm.html",
            {
                "title": f"Delete workspace {workspace}?",
                "message": "This cannot be undone. Its calling data is kept restorable for "
                "30 days; its license goes back to its subscription.",
                "lost": lost,
                "confirm_field": "confirm",
                "hidden": {},
                "submit": "Delete workspace",
                "cancel": reverse("calling-workspace-detail", args=[workspace.pk]),
            },
        )


class WorkspaceCsvUploadView(TenantCapabilityRequiredMixin, View):
    write_capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, WorkspaceUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WorkspaceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = start_workspace_import(
                    actor=Actor.from_request(request), file_name=upload.name,
                    content=upload.read(), mode=form.cleaned_data["mode"],
                    dry_run=form.cleaned_data["dry_run"],
                    confirm_calling_loss=form.cleaned_data["confirm_calling_loss"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error, "file")
            else:
                return redirect("job-detail", pk=job.pk)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: WorkspaceUploadForm) -> HttpResponse:
        return render(
            request,
            "calling/workspaces/upload.html",
            {"form": form, "can_manage_org": request_can(request, Capability.MANAGE_ORG)},
        )


class WorkspaceCsvExportView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return csv_download(export_workspaces_csv(), filename=download_name("workspaces"))
