"""Contact-center errors with stable codes (SPEC §7; STYLE: Saleor's error codes)."""

from __future__ import annotations

from partnerhub.errors import Conflict, DomainError, NotFound


class UnknownContactCenterLicense(DomainError):
    code = "unknown_contact_center_license"


class UnknownAgentRole(DomainError):
    code = "unknown_agent_role"


class SupervisorNeedsPremium(DomainError):
    code = "supervisor_needs_premium"


class AdminRightsNeedPremium(Conflict):
    code = "admin_rights_need_premium"


class NotAnAgent(Conflict):
    code = "not_an_agent"


class NoContactCenterLine(Conflict):
    code = "no_contact_center_line"


class SyncAlreadyRunning(Conflict):
    code = "sync_already_running"


class SyncRunNotFound(NotFound):
    code = "sync_run_not_found"


class RosterError(Exception):
    """The roster refused a whole batch (unreachable, rejected the request…)."""


class RosterCrash(RuntimeError):
    """Injected crash: stands for a worker dying in the middle of a sync."""


class AgentTemplateFileError(Exception):
    """The file as a whole cannot be read; nothing is applied."""
