"""The seam where licensing calls the apps above it: calling and the contact center
(SPEC §5–§7). Those apps own their rules; licensing calls them at the right moment,
inside its own transaction, through two typed interfaces (``CallingHooks``,
``ContactCenterHooks``).

The implementations are named by settings and bound once, at start-up, in
``LicensingConfig.ready()`` — the shape of ``contactcenter/roster.py``::

    LICENSING_CALLING_HOOKS = "calling.hooks.CallingHooks"
    LICENSING_CONTACT_CENTER_HOOKS = "contactcenter.hooks.ContactCenterHooks"

A setting that names nothing importable, or a class that lacks a hook of its
interface, stops start-up with ``ImproperlyConfigured``: a rename in calling can
never again turn "snapshot before delete" into a silent no-op. The implementations
import their app's services directly, so a renamed service fails at import too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from partnerhub.audit.services import Actor


class CallingHooks(Protocol):
    """What licensing asks of calling (SPEC §5, §6)."""

    CallingDetails: type  # location, extension, number: validated by calling

    def validated_calling_name(self, name: str, *, field: str) -> str: ...
    def provision_user_calling(self, *, user: Any, details: Any, actor: Actor) -> Any: ...
    def remove_user_calling(self, *, user: Any, actor: Actor) -> None: ...
    def calling_loss_preview(self, *, user: Any) -> list[str]: ...
    def snapshot_before_user_delete(self, *, users: list[Any], actor: Actor) -> None: ...
    def ensure_cancel_allowed(
        self, *, subscription: Any, confirmation: str, actor: Actor
    ) -> None: ...
    def provision_from_work_phones(
        self,
        users: Sequence[Any],
        *,
        source: str,
        actor: Actor,
        new: bool = False,
        report_shortage: bool = False,
        created: bool = False,
    ) -> Any: ...  # .provisioned: [user id], .failed: {user id: reason}
    def remove_calling_of(self, *, user_ids: list[int], reason: str) -> list[int]: ...

    # The user CSV's calling columns, for the whole file at once (calling.services.bulk):
    # rows of ``WantedCalling`` in, a ``CallingBatch`` out (``changes``: key -> a change
    # with ``kind`` and ``describe()``; ``errors`` / ``warnings``: (key, field, message),
    # the field one of "number", "extension", "location").
    WantedCalling: type
    CallingBatch: type

    def loses_calling(self, change: Any) -> bool: ...
    def changes_calling(self, change: Any) -> bool: ...
    def snapshot_keep_days(self) -> int: ...  # removed calling data stays restorable
    def validate_calling(self, wanted: Iterable[Any]) -> Any: ...
    def remove_calling(self, batch: Any, *, actor: Actor, reason: str) -> int: ...
    def write_calling(
        self, batch: Any, *, actor: Actor, user_ids: dict[Any, int], reason: str
    ) -> int: ...


class ContactCenterHooks(Protocol):
    """What licensing asks of the contact center (SPEC §7)."""

    def reconcile_agents(self, *, user_ids: Iterable[int], actor: Actor) -> None: ...
    def agents_before_user_delete(self, *, user_ids: Iterable[int], actor: Actor) -> None: ...
    def set_contact_center(
        self, *, user: Any, license_type: str, role: str, actor: Actor
    ) -> Any: ...


SEAMS: dict[str, tuple[str, type]] = {
    "calling": ("LICENSING_CALLING_HOOKS", CallingHooks),
    "contact_center": ("LICENSING_CONTACT_CENTER_HOOKS", ContactCenterHooks),
}
_bound: dict[str, Any] = {}


def bind() -> None:
    """Import and check every implementation the settings name (``ready()``)."""
    for seam, (setting, interface) in SEAMS.items():
        _bound[seam] = load(setting, interface)


def load(setting: str, interface: type) -> Any:
    """The implementation ``settings.<setting>`` names, checked against ``interface``.
    Raises ``ImproperlyConfigured`` naming the setting and what is wrong."""
    path = getattr(settings, setting, "")
    if not path:
        raise ImproperlyConfigured(f"Set {setting} to the class implementing {interface.__name__}.")
    try:
        implementation = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"{setting} = {path!r} cannot be imported: {error}") from error
    missing = [name for name in hook_names(interface) if not hasattr(implementation, name)]
    if missing:
        raise ImproperlyConfigured(
            f"{path} lacks {', '.join(missing)} of {interface.__name__} ({setting})."
        )
    return implementation()


def hook_names(interface: type) -> list[str]:
    names = set(getattr(interface, "__annotations__", {}))
    names |= {n for n, v in vars(interface).items() if callable(v) and not n.startswith("_")}
    return sorted(names)


def calling() -> CallingHooks:
    return _bound_to("calling")


def contact_center() -> ContactCenterHooks:
    return _bound_to("contact_center")


def _bound_to(seam: str) -> Any:
    try:
        return _bound[seam]
    except KeyError:
        raise ImproperlyConfigured(
            "Licensing's hooks are not bound: LicensingConfig.ready() did not run."
        ) from None


# --- the moments licensing calls out -------------------------------------------------


def reconcile_agents(*, user_ids: Iterable[int], actor: Actor) -> None:
    """Agents follow contact-center licenses (SPEC §7): after any change of a user's
    cc_standard / cc_premium license."""
    contact_center().reconcile_agents(user_ids=list(user_ids), actor=actor)


def snapshot_before_user_delete(*, users: list[Any], actor: Actor) -> None:
    """Calling keeps what it needs of the users' calling data before the users (and, by
    CASCADE, their calling profiles and agents) are deleted; their agents leave the
    contact-center roster at the next sync."""
    calling().snapshot_before_user_delete(users=users, actor=actor)
    contact_center().agents_before_user_delete(user_ids=[user.pk for user in users], actor=actor)


def ensure_cancel_allowed(*, subscription: Any, confirmation: str, actor: Actor) -> None:
    """Cancelling a calling subscription still held by users or workspaces is refused
    (SPEC §5) unless ``confirmation`` is the typed subscription id."""
    calling().ensure_cancel_allowed(
        subscription=subscription, confirmation=confirmation, actor=actor
    )


def set_contact_center(*, user: Any, license_type: str, role: str, actor: Actor) -> None:
    """Manual add with contact center (SPEC §7): the contact-center app picks the line,
    assigns the license through licensing's protocol and sets the role."""
    contact_center().set_contact_center(
        user=user, license_type=license_type, role=role, actor=actor
    )


def provision_from_work_phones(
    *, users: list[Any], source: str, actor: Actor, new: bool = False, created: bool = False
) -> dict[int, str]:
    """Users' licenses from their templates and calling from their work phones, as
    directory sync does (SPEC §6), with SCIM's rule that a line running out leaves
    the user without that license and in the failure report instead of refusing.
    ``new``: the whole template applies (users created, or who joined a group);
    ``created``: the users were created in this transaction. Returns ``{user id:
    reason}`` of those not provisioned."""
    outcome = calling().provision_from_work_phones(
        users, source=source, actor=actor, new=new, report_shortage=True, created=created
    )
    return dict(outcome.failed)
