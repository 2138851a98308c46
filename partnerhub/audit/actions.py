"""Every audit action, in one enum (as Zulip's ``AuditLogEventType``).

Writers pass a member (``action=AuditAction.USER_CREATED``), never a string; the
stored value is the member's value (``"user.created"``, unchanged from before the
enum), and the audit pages show its label. The enum sits in the audit app, the
ground floor, so it names the actions of every app without importing any: adding an
action to an app means adding its member here (``tests/structure/test_audit_actions.py``
refuses a literal string). SPEC §8.
"""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    # --- partner level: accounts, partners, customers (public schema) ---------------
    INVITATION_ISSUED = "invitation.issued", "Invitation issued"
    INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted"
    MFA_ENROLLED = "mfa.enrolled", "Second factor enrolled"
    MFA_RECOVERY_CODES_RENEWED = "mfa.recovery_codes_renewed", "Recovery codes renewed"
    MFA_REMOVED = "mfa.removed", "Second factor removed"
    API_TOKEN_CREATED = "api_token.created", "API token created"
    API_TOKEN_REVOKED = "api_token.revoked", "API token revoked"
    PARTNER_CREATED = "partner.created", "Partner created"
    PARTNER_MFA_REQUIREMENT_CHANGED = (
        "partner.mfa_requirement_changed",
        "Partner's second-factor requirement changed",
    )
    PARTNER_ADMIN_ADDED = "partner_admin.added", "Partner admin added"
    PARTNER_ADMIN_CHANGED = "partner_admin.changed", "Partner admin's role changed"
    PARTNER_ADMIN_REMOVED = "partner_admin.removed", "Partner admin removed"
    CUSTOMER_PROVISIONED = "customer.provisioned", "Customer provisioned"
    CUSTOMER_SUSPENDED = "customer.suspended", "Customer suspended"
    CUSTOMER_REACTIVATED = "customer.reactivated", "Customer reactivated"
    CUSTOMER_PACKAGES_CHANGED = "customer.packages_changed", "Customer's packages changed"
    CUSTOMER_VIEW_LAUNCHED = "customer_view.launched", "Customer view launched"
    ORG_ADMIN_OPENED_BY_SUPPORT = "org_admin.opened_by_support", "Org admin opened by support staff"

    # --- licensing: users, groups, licenses, subscriptions, templates -----------------
    USER_CREATED = "user.created", "User created"
    USER_CREATED_BY_SCIM = "user.created_by_scim", "User created by SCIM"
    USER_CREATED_BY_DIRECTORY_SYNC = (
        "user.created_by_directory_sync",
        "User created by directory sync",
    )
    USER_UPDATED = "user.updated", "User updated"
    USER_UPDATED_BY_SCIM = "user.updated_by_scim", "User updated by SCIM"
    USER_SCIM_ATTRIBUTES_CHANGED = "user.scim_attributes_changed", "User's SCIM attributes changed"
    USER_EMAIL_CHANGED = "user.email_changed", "User's e-mail changed"
    USER_GROUPS_CHANGED = "user.groups_changed", "User's groups changed"
    USER_PACKAGE_CHANGED = "user.package_changed", "User's package changed"
    USER_DELETED = "user.deleted", "User deleted"
    USER_INVITATION_RESENT = "user.invitation_resent", "User's invitation resent"
    USER_CSV_CREATE = "user.csv_create", "User created by CSV"
    USER_CSV_UPDATE = "user.csv_update", "User updated by CSV"
    USER_CSV_MOVE = "user.csv_move", "User's licenses moved by CSV"
    USER_CSV_DELETE = "user.csv_delete", "User deleted by CSV"
    GROUP_CREATED = "group.created", "Group created"
    GROUP_RENAMED = "group.renamed", "Group renamed"
    GROUP_DELETED = "group.deleted", "Group deleted"
    GROUP_MEMBER_ADDED = "group.member_added", "Group member added"
    GROUP_MEMBER_REMOVED = "group.member_removed", "Group member removed"
    LICENSE_ASSIGNED = "license.assigned", "License assigned"
    LICENSE_RELEASED = "license.released", "License released"
    LICENSE_MOVED = "license.moved", "License moved"
    LICENSE_INCLUDED = "license.included", "Included license given"
    LICENSE_ASSIGNED_BY_TEMPLATE = "license.assigned_by_template", "License assigned by template"
    LICENSE_MOVED_BY_TEMPLATE = "license.moved_by_template", "License moved by template"
    LICENSE_RELEASED_FOR_GROUP_TEMPLATE = (
        "license.released_for_group_template",
        "License released for a group's template",
    )
    SUBSCRIPTION_CREATED = "subscription.created", "Subscription created"
    SUBSCRIPTION_QUANTITIES_CHANGED = (
        "subscription.quantities_changed",
        "Subscription quantities changed",
    )
    SUBSCRIPTION_SUSPENDED = "subscription.suspended", "Subscription suspended"
    SUBSCRIPTION_REACTIVATED = "subscription.reactivated", "Subscription reactivated"
    SUBSCRIPTION_CANCELLED = "subscription.cancelled", "Subscription cancelled"
    SUBSCRIPTION_END_DATE_CHANGED = "subscription.end_date_changed", "Subscription end date changed"
    TEMPLATE_CREATED = "template.created", "Template created"
    TEMPLATE_UPDATED = "template.updated", "Template updated"
    TEMPLATE_DELETED = "template.deleted", "Template deleted"
    TEMPLATE_APPLIED_TO_EXISTING = (
        "template.applied_to_existing",
        "Template applied to existing users",
    )
    SCIM_CONNECTION_CREATED = "scim.connection_created", "SCIM connection created"
    SCIM_TOKEN_ROTATED = "scim.token_rotated", "SCIM token rotated"
    SCIM_CONNECTION_REVOKED = "scim.connection_revoked", "SCIM connection revoked"

    # --- calling -----------------------------------------------------------------------
    DIRECTORY_SYNCED = "directory.synced", "Directory synchronized"
    CALLING_LOCATION_CREATED = "calling.location.created", "Location created"
    CALLING_LOCATION_UPDATED = "calling.location.updated", "Location updated"
    CALLING_LOCATION_MADE_DEFAULT = "calling.location.made_default", "Location made default"
    CALLING_LOCATION_DELETED = "calling.location.deleted", "Location deleted"
    CALLING_NUMBERS_ADDED = "calling.numbers.added", "Phone numbers added"
    CALLING_USER_PROVISIONED = "calling.user.provisioned", "Calling given to a user"
    CALLING_USER_CHANGED = "calling.user.changed", "User's calling changed"
    CALLING_USER_REMOVED = "calling.user.removed", "Calling removed from a user"
    CALLING_USER_DELETED = "calling.user.deleted", "Calling of a deleted user removed"
    CALLING_PROVISIONED_BY_DIRECTORY_SYNC = (
        "calling.provisioned_by_directory_sync",
        "Calling given by directory sync",
    )
    CALLING_PROVISIONED_BY_TEMPLATE = "calling.provisioned_by_template", "Calling given by template"
    CALLING_PROVISIONED_BY_SCIM = "calling.provisioned_by_scim", "Calling given by SCIM"
    CALLING_REMOVED_BY_TEMPLATE = "calling.removed_by_template", "Calling removed by template"
    CALLING_REMOVED_BY_CANCEL = (
        "calling.removed_by_cancel",
        "Calling removed by a cancelled subscription",
    )
    CALLING_RESTORED = "calling.restored", "Calling restored from a snapshot"
    CALLING_VOICEMAIL_CHANGED = "calling.voicemail.changed", "Voicemail changed"
    CALLING_SETTINGS_CHANGED = "calling.settings.changed", "Calling settings changed"
    CALLING_WORKSPACE_CREATED = "calling.workspace.created", "Workspace created"
    CALLING_WORKSPACE_UPDATED = "calling.workspace.updated", "Workspace updated"
    CALLING_WORKSPACE_DELETED = "calling.workspace.deleted", "Workspace deleted"
    CALLING_WORKSPACE_PROVISIONED = "calling.workspace.provisioned", "Calling given to a workspace"
    CALLING_WORKSPACE_CHANGED = "calling.workspace.changed", "Workspace's calling changed"
    CALLING_WORKSPACE_REMOVED = "calling.workspace.removed", "Calling removed from a workspace"
    CALLING_WORKSPACE_LICENSE_MOVED = "calling.workspace.license_moved", "Workspace license moved"
    CALLING_WORKSPACE_CSV_IMPORTED = "calling.workspace.csv_imported", "Workspace CSV imported"

    # --- contact center ----------------------------------------------------------------
    AGENT_CREATED = "agent.created", "Agent created"
    AGENT_DELETED = "agent.deleted", "Agent deleted"
    AGENT_LICENSE_CHANGED = "agent.license_changed", "Agent's license changed"
    AGENT_ROLE_CHANGED = "agent.role_changed", "Agent's role changed"
    AGENT_ADMIN_GRANTED = "agent.admin_granted", "Agent made contact-center admin"
    AGENT_ADMIN_REMOVED = "agent.admin_removed", "Agent's admin right removed"
    AGENT_DETAILS_UPLOADED = "agent.details_uploaded", "Agent details uploaded"
    CONTACT_CENTER_SYNCHRONIZED = "contactcenter.synchronize_users", "Contact center synchronized"

    # --- tasks (any app's background jobs) -----------------------------------------------
    TASK_CANCELLED = "task.cancelled", "Task cancelled"


def label_of(action: str) -> str:
    """The label of a stored action; the value itself for one no longer in the enum."""
    try:
        return AuditAction(action).label
    except ValueError:
        return action
