"""Licensing errors with stable codes (STYLE: Saleor's error codes).

Every message says what went wrong and what to do about it.
"""

from __future__ import annotations

from partnerhub.errors import Conflict, DomainError, NotFound


class UnknownLicenseType(DomainError):
    code = "unknown_license_type"


class IncludedLicenseNotSold(DomainError):
    """The basic licenses are included with every org (SPEC §5): no subscription line
    carries them, so a subscription that lists them is refused."""

    code = "included_license_not_sold"


class LicenseExhausted(Conflict):
    code = "license_exhausted"


class BatchTooLarge(DomainError):
    code = "batch_too_large"


class InvalidUserEntry(DomainError):
    code = "invalid_user_entry"


class UserNotFound(NotFound):
    code = "user_not_found"


class LineNotFound(NotFound):
    code = "line_not_found"


class NotAPackage(DomainError):
    code = "not_a_package"


class SubscriptionNotUsable(Conflict):
    """Licenses are drawn only from active subscriptions (SPEC §4: suspended columns)."""

    code = "subscription_not_usable"


class LicenseNotHeld(Conflict):
    code = "license_not_held"


class LicenseAlreadyHeld(Conflict):
    code = "license_already_held"


class LicenseTypeMismatch(DomainError):
    code = "license_type_mismatch"


class CallingDetailsRequired(DomainError):
    """A package with calling needs a location and an extension and/or number (SPEC §3)."""

    code = "calling_details_required"


class CallingLossNotConfirmed(Conflict):
    """Leaving calling deletes calling data; the caller must confirm (SPEC §3, §6)."""

    code = "calling_loss_not_confirmed"


class TemplateCallingLossNotConfirmed(CallingLossNotConfirmed):
    """*Apply to existing users* would remove calling and the template's name was not
    typed (SPEC §5): the request lacks the confirmation, so 400."""

    status = 400


class QuantityBelowUsage(Conflict):
    code = "quantity_below_usage"


class SubscriptionStateError(Conflict):
    code = "subscription_state"


class TemplateConflict(Conflict):
    code = "template_conflict"


class SubscriptionIdTaken(Conflict):
    code = "subscription_id_taken"


class InvalidSubscriptionId(DomainError):
    code = "invalid_subscription_id"


class InvalidEndDate(DomainError):
    code = "invalid_end_date"
