from __future__ import annotations

from django import template

from partnerhub.audit.actions import label_of
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.selectors import FieldChange, changes_of

register = template.Library()


@register.filter
def changes(entry: AuditEntry) -> list[FieldChange]:
    return changes_of(entry)


@register.filter
def action_label(action: str) -> str:
    """``"user.created"`` → ``"User created"`` (``AuditAction``'s label)."""
    return label_of(action)
