"""Contact-center services (SPEC §7): every write of this app goes through here."""

from __future__ import annotations

from contactcenter.services.agents import (
    agents_before_user_delete,
    mark_pending,
    reconcile_agents,
    winning_contact_center_license,
)
from contactcenter.services.manual import (
    apply_contact_center_licenses,
    grant_admin_rights,
    remove_admin_rights,
    set_agent_role,
    set_contact_center,
)
from contactcenter.services.sync import run_sync
from contactcenter.services.sync_requests import request_sync, synchronize_users

__all__ = [
    "agents_before_user_delete",
    "apply_contact_center_licenses",
    "grant_admin_rights",
    "mark_pending",
    "reconcile_agents",
    "remove_admin_rights",
    "request_sync",
    "run_sync",
    "set_agent_role",
    "set_contact_center",
    "synchronize_users",
    "winning_contact_center_license",
]
