"""Change a user's package, and edit which subscription its licenses come from
(SPEC §3 "Change a user's package", §5 "Edit licenses")."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from licensing import catalogue, selectors
from licensing.errors import CallingLossNotConfirmed
from licensing.forms import ChangePackageForm, EditLicensesForm
from licensing.models import OrgUser
from licensing.services.calling_details import calling_details
from licensing.services.licenses import move_license
from licensing.services.packages import change_package
from licensing.views.common import get_user
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class ChangePackageView(TenantCapabilityRequiredMixin, View):
    """Asks calling details for a calling package; leaving calling shows a confirmation
    page listing what is lost (the service decides both)."""

    capability = Capability.MANAGE_USERS
    template_name = "licensing/users/package.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        current = selectors.package_of(user)
        form = ChangePackageForm(initial={"line": current.line_id if current else None})
        return self._render(request, user, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        form = ChangePackageForm(request.POST)
        if not form.is_valid():
            return self._render(request, user, form)
        data = form.cleaned_data
        calling = None
        if data["location"] is not None:
            calling = calling_details(
                location=data["location"], extension=data["extension"], number=data["number"]
            )
        try:
            change_package(
                user=user,
                line=data["line"],
                actor=Actor.from_request(request),
                calling=calling,
                confirm_calling_loss=data["confirm_calling_loss"],
            )
        except CallingLossNotConfirmed as error:
            return render(
                request,
                "licensing/users/package_confirm.html",
                {
                    "subject": user,
                    "error": error,
                    "lost": error.details.get("lost", []),
                    "line": data["line"],
                },
            )
        except DomainError as error:
            add_domain_error(form, error, field="line")
            return self._render(request, user, form)
        new = data["line"]
        messages.success(request, f"{user.email} now has {new if new else 'no package'}.")
        return redirect("user-detail", pk=user.pk)

    def _render(self, request: HttpRequest, user: OrgUser, form: ChangePackageForm) -> HttpResponse:
        calling_codes = sorted(catalogue.CALLING_PACKAGES)
        return render(
            request,
            self.template_name,
            {
                "subject": user,
                "form": form,
                "current": selectors.package_of(user),
                "calling_packages": [catalogue.license_type(c).name for c in calling_codes],
            },
        )


def _movable(user: OrgUser) -> list:
    """The licenses drawn from a subscription; the included basic ones have none to
    move between."""
    return [a for a in selectors.licenses_of(user) if not a.is_included]


class EditLicensesView(TenantCapabilityRequiredMixin, View):
    """Move a license to another subscription without touching services (SPEC §5)."""

    capability = Capability.MANAGE_USERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        form = EditLicensesForm(assignments=_movable(user))
        return self._render(request, user, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_user(pk)
        assignments = _movable(user)
        form = EditLicensesForm(request.POST, assignments=assignments)
        if form.is_valid():
            try:
                moved = self._move(user, assignments, form, Actor.from_request(request))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{moved} license(s) moved; services unchanged.")
                return redirect("user-detail", pk=user.pk)
        return self._render(request, user, form)

    @staticmethod
    @transaction.atomic
    def _move(user: OrgUser, assignments: list, form: EditLicensesForm, actor: Actor) -> int:
        moved = 0
        for assignment in assignments:
            target = form.cleaned_data[f"license_{assignment.pk}"]
            if target.pk != assignment.line_id:
                move_license(holder=user, from_line=assignment.line, to_line=target, actor=actor)
                moved += 1
        return moved

    def _render(self, request: HttpRequest, user: OrgUser, form: EditLicensesForm) -> HttpResponse:
        return render(request, "licensing/users/licenses.html", {"subject": user, "form": form})
