"""Partner-host pages: dashboard, customer list (+ CSV), provisioning, launch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from customers import launch, selectors
from customers.forms import ProvisionCustomerForm
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
        {"totals": totals, "usage": usage, "badges": selectors.BADGES},
    )


def _list_params(request: HttpRequest) -> dict[str, str]:
    return {
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "package": request.GET.get("package", ""),
        "sort": request.GET.get("sort", "name"),
    }


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    params = _list_params(request)
    customers = selectors.customer_list(request.user, **params)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "customer": customer,
            "badges": selectors.customer_badges(customer),
            "usage": [
                (selectors.service_name(u.service), u.used, u.bought) for u in customer.usage.all()
            ],
            "packages": [selectors.service_name(code) for code in customer.packages],
        }
        for customer in page.object_list
    ]
    return render(
        request,
        "customers/customer_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "params": params,
            "badges": selectors.BADGES,
            "packages": catalogue.PACKAGE_CHOICES,
            "can_provision": bool(permissions.provisioning_partners(request.user)),
        },
    )


CUSTOMER_CSV_HEADERS = [
    "Name", "Org id", "Status", "Packages", "Users", "Licenses", "Admin e-mail", "Created",
]  # fmt: skip


def customer_csv_rows(customers: Iterable[Customer]) -> Iterator[list[object]]:
    """The partner's customer list as CSV rows (figures from the public summary)."""
    for customer in customers:
        licenses = "; ".join(
            f"{selectors.service_name(u.service)} {u.used}/{u.bought}" for u in customer.usage.all()
        )
        summary = getattr(customer, "summary", None)
        yield [
            customer.name,
            customer.slug,
            " ".join(selectors.customer_badges(customer)),
            ", ".join(selectors.service_name(p) for p in customer.packages),
            summary.user_count if summary else 0,
            licenses,
            customer.admin_email,
            customer.created_at.date().isoformat(),
        ]


def customer_csv_download(customers: Iterable[Customer]) -> HttpResponse:
    """The one download of the customer list: page and API."""
    return csv_download(
        csv_text(headers=CUSTOMER_CSV_HEADERS, rows=customer_csv_rows(customers)),
        filename=download_name("customers", owner=""),
    )


@login_required
def customer_list_csv(request: HttpRequest) -> HttpResponse:
    customers = selectors.customer_list(request.user, **_list_params(request))
    return customer_csv_download(customers.iterator(chunk_size=500))


@login_required
@require_POST
def launch_customer(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        url = launch.issue_launch_ticket(account=request.user, customer_id=customer_id)
    except launch.LaunchRefused as error:
        from django.contrib import messages

        messages.error(request, error.message)
        return redirect("customer-list")
    return HttpResponseRedirect(url)


@login_required
def provision(request: HttpRequest) -> HttpResponse:
    partners = permissions.provisioning_partners(request.user)
    if not partners:
        return render(request, "partnerhub/no_access.html", status=403)
    form = ProvisionCustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = provision_customer(
                partner=partners[0],
                name=data["name"],
                slug=data["slug"],
                admin_email=data["admin_email"],
                country=data["country"],
                packages=data["packages"],
                subscriptions=data["subscription"],
                actor=Actor.from_request(request),
                provisioned_by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            from django.contrib import messages

            messages.success(request, f"{customer.name} is ready; its first admin was invited.")
            return redirect(f"/partner/customers/?q={customer.slug}")
    return render(request, "customers/provision.html", {"form": form})


def launch_landing(request: HttpRequest, token: str) -> HttpResponse:
    """Customer host: consume the hand-off and open the customer view."""
    try:
        launch.consume_launch_ticket(request=request, token=token)
    except launch.LaunchTicketInvalid as error:
        return render(
            request, "customers/launch_failed.html", {"message": error.message}, status=403
        )
    return redirect("org-overview")
