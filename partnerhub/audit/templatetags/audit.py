from __future__ import annotations

from django import template

from partnerhub.audit.models import AuditEntry
from partnerhub.audit.selectors import FieldChange, changes_of

register = template.Library()


@register.filter
def changes(entry: AuditEntry) -> list[FieldChange]:
    return changes_of(entry)
