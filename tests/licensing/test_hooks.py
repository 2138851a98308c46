"""Licensing's seam to calling and the contact center is bound at start-up and fails
fast when a hook is missing (licensing/services/hooks.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from calling.hooks import CallingHooks
from contactcenter.hooks import ContactCenterHooks
from licensing.services import hooks


class CallingWithoutSnapshots:
    """Calling's hooks after someone renamed ``snapshot_before_user_delete``."""

    CallingDetails = CallingHooks.CallingDetails
    validated_calling_name = CallingHooks.validated_calling_name
    provision_user_calling = CallingHooks.provision_user_calling
    remove_user_calling = CallingHooks.remove_user_calling
    calling_loss_preview = CallingHooks.calling_loss_preview
    ensure_cancel_allowed = CallingHooks.ensure_cancel_allowed
    provision_from_work_phones = CallingHooks.provision_from_work_phones
    remove_calling_of = CallingHooks.remove_calling_of
    WantedCalling = CallingHooks.WantedCalling
    CallingBatch = CallingHooks.CallingBatch
    loses_calling = CallingHooks.loses_calling
    changes_calling = CallingHooks.changes_calling
    snapshot_keep_days = CallingHooks.snapshot_keep_days
    validate_calling = CallingHooks.validate_calling
    remove_calling = CallingHooks.remove_calling
    write_calling = CallingHooks.write_calling


@pytest.fixture(autouse=True)
def bound_again() -> Iterator[None]:
    yield
    hooks.bind()  # the settings as they are, for the tests after this one


def test_the_hooks_are_bound_when_the_app_starts():
    assert isinstance(hooks.calling(), CallingHooks)
    assert isinstance(hooks.contact_center(), ContactCenterHooks)


@override_settings(LICENSING_CALLING_HOOKS="calling.hooks.RenamedHooks")
def test_a_hook_class_that_cannot_be_imported_stops_start_up():
    with pytest.raises(ImproperlyConfigured) as refused:
        apps.get_app_config("licensing").ready()
    assert str(refused.value).startswith(
        "LICENSING_CALLING_HOOKS = 'calling.hooks.RenamedHooks' cannot be imported"
    )


@override_settings(LICENSING_CALLING_HOOKS=f"{__name__}.CallingWithoutSnapshots")
def test_an_implementation_missing_a_hook_stops_start_up_naming_it():
    with pytest.raises(ImproperlyConfigured) as refused:
        apps.get_app_config("licensing").ready()
    assert str(refused.value) == (
        f"{__name__}.CallingWithoutSnapshots lacks snapshot_before_user_delete of "
        "CallingHooks (LICENSING_CALLING_HOOKS)."
    )


@override_settings(LICENSING_CONTACT_CENTER_HOOKS="")
def test_a_seam_without_a_setting_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="Set LICENSING_CONTACT_CENTER_HOOKS"):
        hooks.bind()


def test_every_hook_of_each_interface_is_implemented():
    for setting, interface in hooks.SEAMS.values():
        implementation = hooks.load(setting, interface)
        assert all(callable(getattr(implementation, n)) for n in hooks.hook_names(interface))


class CallingWithoutWorkPhoneProvisioning:
    """Calling's hooks before work-phone provisioning joined the seam."""

    CallingDetails = CallingHooks.CallingDetails
    validated_calling_name = CallingHooks.validated_calling_name
    provision_user_calling = CallingHooks.provision_user_calling
    remove_user_calling = CallingHooks.remove_user_calling
    calling_loss_preview = CallingHooks.calling_loss_preview
    snapshot_before_user_delete = CallingHooks.snapshot_before_user_delete
    ensure_cancel_allowed = CallingHooks.ensure_cancel_allowed
    remove_calling_of = CallingHooks.remove_calling_of
    WantedCalling = CallingHooks.WantedCalling
    CallingBatch = CallingHooks.CallingBatch
    loses_calling = CallingHooks.loses_calling
    changes_calling = CallingHooks.changes_calling
    snapshot_keep_days = CallingHooks.snapshot_keep_days
    validate_calling = CallingHooks.validate_calling
    remove_calling = CallingHooks.remove_calling
    write_calling = CallingHooks.write_calling


@override_settings(LICENSING_CALLING_HOOKS=f"{__name__}.CallingWithoutWorkPhoneProvisioning")
def test_scim_reaches_work_phone_provisioning_only_through_the_calling_seam():
    # SCIM users and group members get calling through
    # CallingHooks.provision_from_work_phones: a calling without it stops start-up.
    with pytest.raises(ImproperlyConfigured, match="lacks provision_from_work_phones of"):
        hooks.bind()
