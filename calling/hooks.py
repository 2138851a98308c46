"""Calling's side of licensing's seam (``licensing/services/hooks.py``: the interface
``CallingHooks``, bound at start-up from ``settings.LICENSING_CALLING_HOOKS``)."""

from __future__ import annotations

from calling.services import bulk, profiles, provisioning, snapshots, subscriptions


class CallingHooks:
    CallingDetails = profiles.CallingDetails
    validated_calling_name = staticmethod(profiles.validated_calling_name)
    provision_user_calling = staticmethod(profiles.provision_user_calling)
    remove_user_calling = staticmethod(profiles.remove_user_calling)
    calling_loss_preview = staticmethod(profiles.calling_loss_preview)
    snapshot_before_user_delete = staticmethod(profiles.snapshot_before_user_delete)
    ensure_cancel_allowed = staticmethod(subscriptions.ensure_cancel_allowed)
    provision_from_work_phones = staticmethod(provisioning.provision_from_work_phones)
    remove_calling_of = staticmethod(snapshots.remove_calling_of)
    WantedCalling = bulk.WantedCalling
    CallingBatch = bulk.CallingBatch
    loses_calling = staticmethod(bulk.loses_calling)
    changes_calling = staticmethod(bulk.changes_calling)
    snapshot_keep_days = staticmethod(snapshots.snapshot_keep_days)
    validate_calling = staticmethod(bulk.validate_calling)
    remove_calling = staticmethod(bulk.remove_calling)
    write_calling = staticmethod(bulk.write_calling)
