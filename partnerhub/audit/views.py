from __future__ import annotations

from django.views.generic import ListView

from partnerhub.audit.models import AuditEntry
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class AuditLogView(TenantCapabilityRequiredMixin, ListView):
    """The org's audit log (SPEC §8), newest first."""

    model = AuditEntry
    paginate_by = 50
    template_name = "audit/log.html"
    context_object_name = "entries"
