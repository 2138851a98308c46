"""Contact-center pages of an org (SPEC §7): thin, they call services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView, View

from contactcenter import selectors, services
from contactcenter.forms import AgentTemplateUploadForm, ContactCenterForm
from contactcenter.models import AgentTemplateUpload, SyncRun, SyncStatus
from contactcenter.services.agent_template import export_agent_template, upload_agent_template
from licensing import catalogue
from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can


class ContactCenterUsersView(TenantCapabilityRequiredMixin, ListView):
    """Contact-center users with their *Sync status*, filterable by it."""

    template_name = "contactcenter/users.html"
    context_object_name = "agents"
    paginate_by = 50

    def get_queryset(self) -> Any:
        params = self.request.GET
        return selectors.agent_list(
            search=params.get("q", "").strip(),
            sync_status=params.get("sync_status", ""),
            license_type=params.get("license_type", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            sync_statuses=SyncStatus.choices,
            license_types=[
                (c, catalogue.license_type(c).name) for c in catalogue.CONTACT_CENTER_LICENSES
            ],
            counts=selectors.sync_status_counts(),
            **kwargs,
        )


class UserContactCenterView(TenantCapabilityRequiredMixin, TemplateView):
    """The user's contact center: license type, role, admin rights."""

    template_name = "contactcenter/user.html"
    write_capability = Capability.MANAGE_USERS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.user = None
        return super().dispatch(request, *args, **kwargs)

    def get_user(self) -> OrgUser:
        if self.user is None:
            self.user = get_object_or_404(OrgUser, pk=self.kwargs["user_id"])
        return self.user

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.get_user()
        agent = selectors.agent_of(user)
        kwargs.setdefault("form", ContactCenterForm.for_agent(agent))
        return super().get_context_data(
            org_user=user,
            agent=agent,
            can_manage=request_can(self.request, Capability.MANAGE_USERS),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = self.get_user()
        form = ContactCenterForm(request.POST)
        if form.is_valid():
            try:
                form.apply(user=user, actor=Actor.from_request(request))
            except DomainError as error:
                add_domain_error(form, error, field="license_type")
            else:
                messages.success(request, f"Contact center of {user.email} saved.")
                return redirect("cc-user", user_id=user.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AdminRightsView(TenantCapabilityRequiredMixin, View):
    """Administrator roles → full admin rights / no admin rights."""

    capability = Capability.MANAGE_USERS

    def post(self, request: HttpRequest, user_id: int) -> HttpResponse:
        user = get_object_or_404(OrgUser, pk=user_id)
        actor = Actor.from_request(request)
        try:
            if request.POST.get("rights") == "full":
                services.grant_admin_rights(user=user, actor=actor)
                messages.success(request, f"{user.email} now has full admin rights.")
            else:
                services.remove_admin_rights(user=user, actor=actor)
                messages.success(request, f"{user.email} has no admin rights now.")
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("cc-user", user_id=user.pk)


class SettingsView(TenantCapabilityRequiredMixin, TemplateView):
    """Services → Contact Center → Settings: *Synchronize users*."""

    template_name = "contactcenter/settings.html"
    write_capability = Capability.MANAGE_USERS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            counts=selectors.sync_status_counts(),
            latest=selectors.latest_synchronize_run(),
            runs=selectors.sync_runs()[:10],
            can_manage=request_can(self.request, Capability.MANAGE_USERS),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            run = services.synchronize_users(actor=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
            run_id = error.details.get("run_id")
            return redirect("cc-sync-run", pk=run_id) if run_id else redirect("cc-settings")
        messages.success(request, f"Synchronizing {run.rows_total} users.")
        return redirect("cc-sync-run", pk=run.pk)


class SyncRunView(TenantCapabilityRequiredMixin, DetailView):
    """One sync run: status, progress bar, counts (refreshes itself while running)."""

    model = SyncRun
    template_name = "contactcenter/sync_run.html"
    context_object_name = "run"


class AgentTemplateView(TenantCapabilityRequiredMixin, TemplateView):
    """The agent template: export for the synced agents, upload back."""

    template_name = "contactcenter/agent_template.html"
    write_capability = Capability.MANAGE_USERS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", AgentTemplateUploadForm())
        return super().get_context_data(
            synced_count=selectors.synced_agents().count(),
            uploads=AgentTemplateUpload.objects.all()[:10],
            can_manage=request_can(self.request, Capability.MANAGE_USERS),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AgentTemplateUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload_file = form.cleaned_data["file"]
        upload = upload_agent_template(
            content=upload_file.read(),
            actor=Actor.from_request(request),
            file_name=upload_file.name,
        )
        return redirect("cc-agent-template-upload", pk=upload.pk)


class AgentTemplateExportView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return csv_download(export_agent_template(), filename=download_name("agent-template"))


class AgentTemplateUploadView(TenantCapabilityRequiredMixin, DetailView):
    model = AgentTemplateUpload
    template_name = "contactcenter/agent_template_upload.html"
    context_object_name = "upload"


class AgentTemplateErrorReportView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = get_object_or_404(AgentTemplateUpload, pk=pk)
        return csv_download(
            upload.error_report, filename=download_name(f"agent-template-errors-{upload.pk}")
        )
