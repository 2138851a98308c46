"""What Okta and Microsoft Entra ID send that the RFC does not say (issue #13 item 4).

Most of it ``scim2-models`` already reads: capitalised PATCH ops (``"Replace"``),
``active`` as the string ``"False"``, PATCH ``value`` objects without a ``path``
(Entra), ``replace`` of ``active`` without a path (Okta). The rest is its
``ScimPolicy``, set once here for every request:

* ``unmatched_path_filter=create``: Entra sends ``replace`` of
  ``phoneNumbers[type eq "work"].value`` for a number the user does not have yet;
  the RFC says ``noTarget``, Entra expects the entry to be added.
* ``remove_value_as_filter=apply``: Entra removes group members with
  ``{"op": "Remove", "path": "members", "value": [{"value": "<id>"}]}``.
* ``unknown=ignore``: attributes and extensions this org does not keep (Okta's
  custom profile attributes, Entra's ``manager``) are dropped, not refused.

Okta's own expectations need no special case: it deactivates with PUT or PATCH
``active: false`` and reads a deactivated user back (200, ``active: false``).
"""

from __future__ import annotations

from scim2_models import ScimPolicy

POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)
