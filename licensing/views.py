from __future__ import annotations

from django.views.generic import TemplateView

from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class OrgOverviewView(TenantCapabilityRequiredMixin, TemplateView):
    template_name = "licensing/overview.html"
