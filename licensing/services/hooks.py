"""Where licensing calls into the calling and contact-center apps.

Those apps own their rules (SPEC §6, §7); licensing only calls them at the right
moment, inside its own transaction. While an app's service is not there yet the
hook does nothing, so licensing works on its own. One module, so the seams are easy
to find.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from partnerhub.audit.services import Actor


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def calling_service(name: str) -> Callable[..., Any] | None:
    """``calling.services.profiles.<name>`` if the calling app provides it."""
    return _optional("calling.services.profiles", name)


def reconcile_agents(*, user_ids: Iterable[int], actor: Actor) -> None:
    """Agents follow contact-center licenses (SPEC §7): after any change of a user's
    cc_standard / cc_premium license."""
    reconcile = _optional("contactcenter.services", "reconcile_agents") or _optional(
        "contactcenter.services.agents", "reconcile_agents"
    )
    if reconcile is not None:
        reconcile(user_ids=list(user_ids), actor=actor)


def snapshot_before_user_delete(*, users: list[Any], actor: Actor) -> None:
    """Lets the calling app keep what it needs of the users' calling data before the
    users (and, by CASCADE, their calling profiles and agents) are deleted."""
    snapshot = calling_service("snapshot_before_user_delete")
    if snapshot is not None:
        snapshot(users=users, actor=actor)
    # Their agents leave the contact-center roster at the next sync.
    agents_gone = _optional("contactcenter.services", "agents_before_user_delete")
    if agents_gone is not None:
        agents_gone(user_ids=[user.pk for user in users], actor=actor)


def ensure_cancel_allowed(*, subscription: Any, confirmation: str, actor: Actor) -> None:
    """Cancelling a calling subscription still held by users or workspaces is refused
    (SPEC §5) unless ``confirmation`` is the typed subscription id. The calling app
    provides the guard as ``calling.services.subscriptions.ensure_cancel_allowed``."""
    guard = _optional("calling.services.subscriptions", "ensure_cancel_allowed")
    if guard is not None:
        guard(subscription=subscription, confirmation=confirmation, actor=actor)


def set_contact_center(*, user: Any, license_type: str, role: str, actor: Actor) -> None:
    """Manual add with contact center (SPEC §7): the contact-center app picks the line,
    assigns the license through licensing's protocol and sets the role."""
    set_cc = _optional("contactcenter.services.manual", "set_contact_center")
    if set_cc is None:
        from licensing.errors import InvalidUserEntry

        raise InvalidUserEntry("Contact center is not available in this installation yet.")
    set_cc(user=user, license_type=license_type, role=role, actor=actor)


def provision_from_work_phones(
    *, users: list[Any], source: str, actor: Actor, new: bool = False
) -> dict[int, str]:
    """Users' licenses from their templates and calling from their work phones, as
    directory sync does (SPEC §6), with SCIM's rule that a line running out leaves
    the user without that license and in the failure report instead of refusing.
    Returns ``{user id: reason}`` of those not provisioned. Without the calling app,
    templates are applied alone."""
    provision = _optional("calling.services.provisioning", "provision_from_work_phones")
    if provision is None:
        from licensing.services.templates import apply_templates_within_capacity

        if new:
            apply_templates_within_capacity(users=users, actor=actor)
        return {}
    outcome = provision(users, source=source, actor=actor, new=new, report_shortage=True)
    return dict(outcome.failed)
