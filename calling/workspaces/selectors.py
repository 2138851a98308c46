"""Reads of workspaces for pages, API and the workspace CSV (STYLE: selectors)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from calling.models import Workspace
from licensing import catalogue
from licensing.models import LicenseAssignment, SubscriptionLine


def workspace_list(*, search: str = "", location_id: int | None = None) -> QuerySet[Workspace]:
    """Workspaces with location, calling data, number and calling license in a fixed
    number of queries; ``search`` matches name, number or extension."""
    workspaces = Workspace.objects.select_related(
        "location", "calling__location", "calling__number"
    ).prefetch_related(
        Prefetch(
            "licenses",
            queryset=LicenseAssignment.objects.filter(
                license_type=catalogue.WORKSPACE_CALLING
            ).select_related("line__subscription"),
            to_attr="calling_licenses",
        )
    )
    if search:
        workspaces = workspaces.filter(
            Q(name__icontains=search)
            | Q(calling__number__e164__contains=search)
            | Q(calling__extension=search)
        )
    if location_id is not None:
        workspaces = workspaces.filter(location_id=location_id)
    return workspaces.order_by("name")


def workspace_calling_lines() -> list[SubscriptionLine]:
    """Every Workspace Calling line of the org (any subscription status), by subscription."""
    return list(
        SubscriptionLine.objects.filter(license_type=catalogue.WORKSPACE_CALLING)
        .select_related("subscription")
        .order_by("subscription__external_id")
    )
