"""User pages (SPEC §3): list, detail, edit, delete, add manually."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import ListView

from licensing import selectors
from licensing.forms import AddUsersForm, UserEditForm, UserFilterForm
from licensing.models import OrgUser
from licensing.services import users as user_services
from licensing.services.calling_details import calling_details
from licensing.services.users import ContactCenterChoice
from licensing.user_fields import EDITABLE_FIELDS
from licensing.views.common import capabilities, get_user
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class UserListView(TenantCapabilityRequiredMixin, ListView):
    """Search, filter by package / status, paginate."""

    template_name = "licensing/users/list.html"
    context_object_name = "users"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.filters = UserFilterForm(self.request.GET or None)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        sort = self.request.GET.get("sort", "email")
        self.sort = sort if sort in selectors.USER_SORTS else "email"
        return selectors.user_list(
            search=data.get("q", ""), package=data.get("package", ""),
            status=data.get("status", ""), sort=self.sort,
        )  # fmt: skip

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from licensing.views.bulk import ACTIONS

        context = super().get_context_data(**kwargs)
        for user in context["users"]:
            user.package = selectors.package_of(user)
        return {
            **context, **capabilities(self.request), "filters": self.filters, "sort": self.sort,
            "bulk_actions": ACTIONS, "package_lines": selectors.package_lines(),
        }  # fmt: skip


# Per-user pages of other apps, linked from the user page when they exist
# (url name taking the user's id).
SECTION_PAGES = [("Calling", "calling-user"), ("Contact center", "cc-user")]


def section_links(user: OrgUser) -> list[tuple[str, str]]:
    links = []
    for label, name in SECTION_PAGES:
        try:
            links.append((label, reverse(name, args=[user.pk])))
        except NoReverseMatch:
            continue
    return links


class UserDetailView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        context = {
            "subject": user,
            "package": selectors.package_of(user),
            "licenses": selectors.licenses_of(user),
            "groups": user.groups.order_by("name"),
            "calling": getattr(user, "calling", None) if hasattr(user, "calling") else None,
            "agent": getattr(user, "agent", None) if hasattr(user, "agent") else None,
            "sections": section_links(user),
            **capabilities(request),
        }
        return render(request, "licensing/users/detail.html", context)


class UserEditView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_USERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        initial = {f: getattr(user, f) for f in EDITABLE_FIELDS}
        form = UserEditForm(initial={**initial, "groups": list(user.groups.all())})
        return self._render(request, user, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        form = UserEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            groups = data.pop("groups")
            fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
            actor = Actor.from_request(request)
            try:
                user_services.update_user(user=user, actor=actor, **fields)
                user_services.set_user_groups(user=user, groups=list(groups), actor=actor)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{user.email} was saved.")
                return redirect("user-detail", pk=user.pk)
        return self._render(request, user, form)

    def _render(self, request: HttpRequest, user: OrgUser, form: UserEditForm) -> HttpResponse:
        return render(
            request,
            "licensing/form.html",
            {
                "title": f"Edit {user.email}",
                "form": form,
                "submit": "Save",
                "cancel": reverse("user-detail", args=[user.pk]),
            },
        )


class UserDeleteView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_USERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        return render(
            request,
            "licensing/confirm.html",
            {
                "title": f"Delete {user.email}?",
                "lines": [
                    "Its licenses go back to their subscriptions.",
                    "Its calling data and contact-center agent are deleted with it.",
                    "This cannot be undone.",
                ],
                "submit": "Delete user",
                "danger": True,
                "cancel": reverse("user-detail", args=[user.pk]),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        user_services.delete_users(users=[user], actor=Actor.from_request(request))
        messages.success(request, f"{user.email} was deleted.")
        return redirect("user-list")


class AddUsersView(TenantCapabilityRequiredMixin, View):
    """Add users manually (SPEC §3): the result page summarises every entry."""

    capability = Capability.MANAGE_USERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "licensing/users/add.html", {"form": AddUsersForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AddUsersForm(request.POST)
        if not form.is_valid():
            return render(request, "licensing/users/add.html", {"form": form})
        data = form.cleaned_data
        calling = None
        if data["location"] is not None:
            calling = calling_details(
                location=data["location"], extension=data["extension"], number=data["number"]
            )
        contact_center = None
        if data["contact_center"]:
            contact_center = ContactCenterChoice(
                license_type=data["contact_center"], role=data["contact_center_role"] or "agent"
            )
        try:
            result = user_services.add_users(
                entries=data["parsed_entries"],
                package_line=data["package_line"],
                actor=Actor.from_request(request),
                send_invitations=data["send_invitations"],
                calling=calling,
                contact_center=contact_center,
            )
        except DomainError as error:
            add_domain_error(form, error, field="entries")
            return render(request, "licensing/users/add.html", {"form": form})
        return render(request, "licensing/users/add_result.html", {"result": result})
