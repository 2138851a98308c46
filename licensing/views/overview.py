from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from licensing import catalogue, selectors
from licensing.models import LicenseAssignment, OrgUser, Subscription, SubscriptionStatus
from licensing.views.common import capabilities
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class OrgOverviewView(TenantCapabilityRequiredMixin, TemplateView):
    """Headline figures of the org: users, packages, licenses drawn as meters."""

    template_name = "licensing/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        users = OrgUser.objects.count()
        with_package = (
            LicenseAssignment.objects.filter(kind=catalogue.Kind.PACKAGE, user__isnull=False)
            .values("user")
            .distinct()
            .count()
        )
        return {
            **super().get_context_data(**kwargs),
            **capabilities(self.request),
            "user_count": users,
            "without_package": users - with_package,
            "active_subscriptions": Subscription.objects.filter(
                status=SubscriptionStatus.ACTIVE
            ).count(),
            "meters": selectors.license_meters(),
            "included": selectors.included_licenses(),
        }
