"""Partner-host pages: dashboard, customer list (+ CSV), provisioning, launch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from customers import launch, selectors, support_launch
from customers.errors import LaunchRefused, LaunchTicketInvalid
from customers.forms import ProvisionCustomerForm, SubscriptionRowsFormSet
from customers.invitations import first_admin_invitation, resend_first_admin_invitation
from customers.models import Customer
from customers.services import provision_customer
from licensing import catalogue
from partnerhub import permissions
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, csv_text, download_name
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error

PAGE_SIZE = 50


@login_required
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    totals = selectors.partner_totals(request.user)
    usage = [
        (selectors.service_name(code), used, bought)
        for code, (used, bought) in totals.usage.items()
    ]
    return render(
        request,
        "customers/dashboard.html",
        {
            "totals": totals,
            "usage": usage,
            # Every tile shows its figure, 0 included, and links to the filtered list.
            "tiles": [
                (code, label, totals.by_status.get(code, 0))
                for code, label in selectors.BADGES.items()
            ],
        },
    )


PAGE_SIZES = (25, 50, 100)


def _list_params(request: HttpRequest) -> dict[str, str]:
    sort = request.GET.get("sort", "name")
    return {
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "package": request.GET.get("package", ""),
        "sort": sort if sort in selectors.SORTS else "name",
    }


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


def customer_row(customer: Customer, today: dt.date) -> dict[str, Any]:
    """What one compact row of the customer list shows."""
    fullest = selectors.fullest_line(customer)
    return {
        "customer": customer,
        "badges": selectors.customer_badges(customer),
        "flags": selectors.customer_flags(customer, today),
        "fullest": fullest,
        "fullest_name": selectors.service_name(fullest.service) if fullest else "",
        "packages": [selectors.service_name(code) for code in customer.packages],
    }


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    params = _list_params(request)
    customers = selectors.customer_list(request.user, **params)
    page = Paginator(customers, _page_size(request)).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "customers/customer_list.html",
        {
            "page_obj": page,
            "rows": [customer_row(customer, today) for customer in page.object_list],
            "params": params,
            "badges": selectors.BADGES,
            "flag_labels": selectors.FLAG_LABELS,
            "packages": catalogue.PACKAGE_CHOICES,
            "page_sizes": PAGE_SIZES,
            "per_page": _page_size(request),
            "can_provision": bool(permissions.provisioning_partners(request.user)),
        },
    )


def customer_csv_rows(customers: Iterable[Customer], services: list[str]) -> Iterator[list[object]]:
    """The customer list as CSV rows: one column per service ("used of bought")."""
    today = timezone.localdate()
    for customer in customers:
        usage = {u.service: u for u in customer.usage.all()}
        summary = getattr(customer, "summary", None)
        yield [
            customer.name,
            customer.slug,
            selectors.BADGES.get(customer.status, customer.status),
            ", ".join(selectors.FLAG_LABELS[f] for f in selectors.customer_flags(customer, today)),
            ", ".join(selectors.service_name(p) for p in customer.packages),
            summary.user_count if summary else 0,
            *(
                f"{usage[code].used} of {usage[code].bought}" if code in usage else ""
                for code in services
            ),
            customer.admin_email,
            customer.expires_on.isoformat() if customer.expires_on else "",
            customer.created_at.date().isoformat(),
        ]


def customer_csv_download(customers: QuerySet[Customer]) -> HttpResponse:
    """The one download of the customer list (page and API), through the one CSV
    writer; the service columns are the services any listed customer has."""
    services = selectors.services_in_use(customers)
    headers = [
        "Name", "Org id", "Status", "Flags", "Packages", "Users",
        *(selectors.service_name(code) for code in services),
        "Admin e-mail", "Ends", "Created",
    ]  # fmt: skip
    rows = customer_csv_rows(customers.iterator(chunk_size=500), services)
    return csv_download(
        csv_text(headers=headers, rows=rows), filename=download_name("customers", owner="")
    )


@login_required
def customer_list_csv(request: HttpRequest) -> HttpResponse:
    return customer_csv_download(selectors.customer_list(request.user, **_list_params(request)))


@login_required
@require_POST
def launch_customer(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        url = launch.issue_launch_ticket(
            account=request.user,
            customer_id=customer_id,
            otp_device=launch.second_factor_of(request),
        )
    except LaunchRefused as error:
        from django.contrib import messages

        messages.error(request, error.message)
        return redirect("customer-list")
    return HttpResponseRedirect(url)


@login_required
def provision(request: HttpRequest) -> HttpResponse:
    partners = permissions.provisioning_partners(request.user)
    if not partners:
        return render(
            request,
            "partnerhub/no_access.html",
            {"message": permissions.partner_refusal(
                request.user, "Provisioning needs a full or provisioning administrator."
            )},
            status=403,
        )  # fmt: skip
    form = ProvisionCustomerForm(request.POST or None)
    # A script's POST without the rows (no management form) provisions no subscription.
    rows = SubscriptionRowsFormSet(
        request.POST if "subs-TOTAL_FORMS" in request.POST else None, prefix="subs"
    )
    # Both validated before either is looked at: every error shows at once.
    if request.method == "POST" and all([form.is_valid(), not rows.is_bound or rows.is_valid()]):
        data = form.cleaned_data
        try:
            customer = provision_customer(
                partner=partners[0],
                name=data["name"],
                slug=data["slug"],
                admin_email=data["admin_email"],
                country=data["country"],
                packages=data["packages"],
                subscriptions=rows.subscription_specs(),
                actor=Actor.from_request(request),
                provisioned_by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            from django.contrib import messages

            info = first_admin_invitation(account=request.user, customer_id=customer.pk)
            if info.state == "failed":
                messages.warning(
                    request,
                    f"{customer.name} is ready, but the invitation e-mail to {info.email} "
                    "could not be sent. Resend it below.",
                )
                return redirect("customer-invitation", customer_id=customer.pk)
            messages.success(request, f"{customer.name} is ready; its first admin was invited.")
            return redirect(f"/partner/customers/?q={customer.slug}")
    return render(request, "customers/provision.html", {"form": form, "rows": rows})


def org_admin_landing(request: HttpRequest, token: str) -> HttpResponse:
    """Org host: consume support staff's hand-off and open this org's Django admin."""
    try:
        support_launch.consume_org_admin_ticket(request=request, token=token)
    except LaunchTicketInvalid as error:
        context = {"message": error.message, "heading": "Could not open the org admin"}
        return render(request, "customers/launch_failed.html", context, status=403)
    return redirect("admin:index")


def launch_landing(request: HttpRequest, token: str) -> HttpResponse:
    """Customer host: consume the hand-off and open the customer view."""
    try:
        launch.consume_launch_ticket(request=request, token=token)
    except LaunchTicketInvalid as error:
        return render(
            request, "customers/launch_failed.html", {"message": error.message}, status=403
        )
    return redirect("org-overview")


@login_required
def customer_invitation(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: the first admin's invitation (sent, failed with why, accepted, expired);
    POST: resend it."""
    if request.method == "POST":
        try:
            resend_first_admin_invitation(
                account=request.user, customer_id=customer_id, actor=Actor.from_request(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "A new invitation was sent.")
        return redirect("customer-invitation", customer_id=customer_id)
    info = first_admin_invitation(account=request.user, customer_id=customer_id)
    return render(
        request,
        "customers/invitation.html",
        {
            "info": info,
            "can_resend": permissions.can_provision(request.user, info.customer.partner_id),
        },
    )
