from __future__ import annotations

from partnerhub.errors import Conflict, DomainError


class InvalidSlug(DomainError):
    code = "invalid_slug"


class SlugTaken(Conflict):
    code = "slug_taken"


class UnknownPackage(DomainError):
    code = "unknown_package"


class EmailInAnotherOrg(Conflict):
    code = "email_in_another_org"

    def __init__(self, *, emails: list[str]) -> None:
        shown = ", ".join(emails[:5]) + (f" and {len(emails) - 5} more" if len(emails) > 5 else "")
        super().__init__(
            f"{shown} already belong(s) to a user of another organisation (for example a "
            "trial org). Delete the user there, or that org, before adding it here.",
            emails=emails,
        )


class LaunchRefused(Conflict):
    code = "launch_refused"


class LaunchTicketInvalid(DomainError):
    code = "launch_ticket_invalid"
    status = 403


class LastFullAdmin(Conflict):
    code = "last_full_admin"


class AlreadyPartnerAdmin(Conflict):
    code = "already_partner_admin"


class NotPartnersCustomer(DomainError):
    code = "not_partners_customer"


class StatusChangeRefused(Conflict):
    code = "status_change_refused"


class UnknownStatusAction(DomainError):
    code = "unknown_status_action"
