"""Pages for managing partner admins (full administrators only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from customers import partner_admins
from customers.models import Customer
from partnerhub import mfa, permissions
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import EmailAddressField, add_domain_error
from partnerhub.models import PartnerMembership, PartnerRole


class AddPartnerAdminForm(forms.Form):
    email = EmailAddressField(label="E-mail")
    role = forms.ChoiceField(choices=PartnerRole.choices)
    all_customers = forms.BooleanField(required=False, label="Sees all customers")


class ChangePartnerAdminForm(forms.Form):
    role = forms.ChoiceField(choices=PartnerRole.choices)
    all_customers = forms.BooleanField(required=False, label="Sees all customers")
    customers = forms.ModelMultipleChoiceField(
        queryset=Customer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Assigned customers",
    )  # fmt: skip

    def __init__(self, *args, membership: PartnerMembership, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["customers"].queryset = Customer.objects.filter(
            partner=membership.partner
        ).order_by("name")


def _managed_partners(request: HttpRequest) -> list:
    memberships = partner_admins.managed_memberships(request.user)
    own = {
        m.partner for m in memberships if m.account_id == request.user.pk and m.role == "full_admin"
    }
    return sorted(own, key=lambda p: p.name)


@login_required
def admin_list(request: HttpRequest) -> HttpResponse:
    partners = _managed_partners(request)
    if not partners:
        return render(
            request,
            "partnerhub/no_access.html",
            {"message": permissions.partner_refusal(
                request.user, "Managing partner administrators needs a full administrator."
            )},
            status=403,
        )  # fmt: skip
    form = AddPartnerAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner_admins.add_partner_admin(
                partner=partners[0], actor=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error, "email")
        else:
            messages.success(request, f"{form.cleaned_data['email']} was added and invited.")
            return redirect("partner-admins")
    return render(
        request,
        "customers/partner_admins.html",
        {
            "memberships": partner_admins.managed_memberships(request.user),
            "form": form,
            "partner": partners[0],
        },
    )


@login_required
def admin_change(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = partner_admins.get_managed_membership(request.user, membership_id)
    initial = {
        "role": membership.role,
        "all_customers": membership.all_customers,
        "customers": [a.customer for a in membership.assignments.all()],
    }
    form = ChangePartnerAdminForm(request.POST or None, initial=initial, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            partner_admins.change_partner_admin(
                membership=membership, actor=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{membership.account.email} was updated.")
            return redirect("partner-admins")
    return render(
        request, "customers/partner_admin_change.html", {"membership": membership, "form": form}
    )


@login_required
@require_POST
def admin_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = partner_admins.get_managed_membership(request.user, membership_id)
    try:
        partner_admins.remove_partner_admin(
            membership=membership, actor=Actor.from_request(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.account.email} is no longer a partner admin.")
    return redirect("partner-admins")


@login_required
@require_POST
def admin_resend_invitation(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = partner_admins.get_managed_membership(request.user, membership_id)
    try:
        partner_admins.resend_invitation(membership=membership, actor=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A new invitation was sent to {membership.account.email}.")
    return redirect("partner-admins")


@login_required
@require_POST
def mfa_requirement(request: HttpRequest) -> HttpResponse:
    """A full admin requires (or not) a second factor of the partner's admins."""
    partners = _managed_partners(request)
    if not partners:
        return render(request, "partnerhub/no_access.html", status=403)
    required = request.POST.get("require_mfa") == "on"
    mfa.set_partner_requirement(
        partner=partners[0], required=required, actor=Actor.from_request(request)
    )
    messages.success(
        request,
        "Partner admins must now sign in with a second factor."
        if required
        else "A second factor is now optional for partner admins.",
    )
    return redirect("partner-admins")
