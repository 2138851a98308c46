"""Errors of the calling app (SPEC §6): stable codes, messages a person can act on."""

from __future__ import annotations

from partnerhub.errors import Conflict, DomainError


class InvalidNumber(DomainError):
    code = "invalid_number"


class NumberNotInInventory(DomainError):
    code = "number_not_in_inventory"


class NumberInOtherLocation(DomainError):
    code = "number_in_other_location"


class NumberAlreadyAssigned(Conflict):
    code = "number_already_assigned"


class InvalidExtension(DomainError):
    code = "invalid_extension"


class InvalidCallingName(DomainError):
    code = "invalid_calling_name"


class ExtensionTaken(Conflict):
    code = "extension_taken"


class NumberOrExtensionRequired(DomainError):
    code = "number_or_extension_required"


class CallingAlreadySetUp(Conflict):
    code = "calling_already_set_up"


class LocationNameTaken(Conflict):
    code = "location_name_taken"


class LocationInUse(Conflict):
    code = "location_in_use"


class DefaultLocation(Conflict):
    code = "default_location"


class DuplicateNumbers(Conflict):
    code = "duplicate_numbers"


class InvalidNumberRange(DomainError):
    code = "invalid_number_range"


class CallingLossNotConfirmed(DomainError):
    code = "calling_loss_not_confirmed"


class NothingToRestore(DomainError):
    code = "nothing_to_restore"


class CallingLicenseRequired(DomainError):
    code = "calling_license_required"


class CallingComesWithPackage(Conflict):
    code = "calling_comes_with_package"


class SubscriptionCarriesCalling(Conflict):
    code = "subscription_carries_calling"


class CallingNotSetUp(DomainError):
    code = "calling_not_set_up"


class InvalidVoicemailPin(DomainError):
    code = "invalid_voicemail_pin"


class VoicemailPinRequired(DomainError):
    code = "voicemail_pin_required"


class InvalidForwarding(DomainError):
    code = "invalid_forwarding"


class InvalidCallerId(DomainError):
    code = "invalid_caller_id"


class WorkspaceNameTaken(Conflict):
    code = "workspace_name_taken"


class InvalidWorkspaceName(DomainError):
    code = "invalid_workspace_name"


class NotAWorkspaceCallingLine(DomainError):
    code = "not_a_workspace_calling_line"


class WorkspaceDeletionNotConfirmed(DomainError):
    code = "workspace_deletion_not_confirmed"


class InvalidLocation(DomainError):
    code = "invalid_location"


class InvalidFeed(DomainError):
    code = "invalid_directory_feed"
