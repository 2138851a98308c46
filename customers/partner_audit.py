"""The partner's audit log: partner-level changes about the customers the account
sees and about its partner's administrators (public schema, SPEC §8)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnerhub import permissions
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.selectors import audit_csv_response
from partnerhub.audit.views import filtered_log
from partnerhub.models import Account, PartnerMembership, PartnerRole


def partner_entries(account: Account) -> QuerySet[AuditEntry]:
    customer_ids = [
        str(pk) for pk in permissions.visible_customers(account).values_list("pk", flat=True)
    ]
    managed = PartnerMembership.objects.filter(
        partner__memberships__account=account,
        partner__memberships__role=PartnerRole.FULL_ADMIN,
    ).values_list("pk", flat=True)
    return AuditEntry.objects.filter(customer_schema="public").filter(
        Q(target_type="customers.Customer", target_id__in=customer_ids)
        | Q(target_type="partnerhub.PartnerMembership", target_id__in=[str(pk) for pk in managed])
    )


@login_required
def partner_audit_log(request: HttpRequest) -> HttpResponse:
    filters, entries = filtered_log(request, partner_entries(request.user))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "entries": page.object_list,
            "page_obj": page,
            "filters": filters,
            "export_url_name": "partner-audit-log-csv",
        },
    )


@login_required
def partner_audit_log_csv(request: HttpRequest) -> HttpResponse:
    _filters, entries = filtered_log(request, partner_entries(request.user))
    return audit_csv_response(entries, name="partner-audit-log")
