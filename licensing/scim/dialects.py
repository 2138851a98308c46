"""What Okta and Microsoft Entra ID send that the RFC does not say (issue #13 item 4).

Most of it ``scim2-models`` already reads: capitalised PATCH ops (``"Replace"``),
``active`` as the string ``"False"``, PATCH ``value`` objects without a ``path``
(Entra), ``replace`` of ``active`` without a path (Okta). The rest is its
``ScimPolicy``, set once here for every request:

* ``unmatched_path_filter=create``: Entra sends ``replace`` of
  ``phoneNumbers[type eq "work"].value`` for a number the user does not have yet;
  the RFC says ``noTarget``, Entra expects the entry to be added.
* ``remove_value_as_filter=apply``: Entra removes group members with
  ``{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": "<id>"}]}``
  (the ``$ref: null`` is dropped first, so the member is matched by its value).
* ``unknown=ignore``, and ``keep_only_kept`` / ``keep_only_kept_operations`` below:
  attributes this org does not keep (Okta's custom profile attributes, Entra's
  ``manager`` sent as ``{"value": ""}``, ``roles``) are dropped, not refused.

Okta's own expectations need no special case: it deactivates with PUT or PATCH
``active: false`` and reads a deactivated user back (200, ``active: false``).
"""

from __future__ import annotations

from typing import Any

from scim2_models import ScimPolicy

from licensing.scim.protocol import ENTERPRISE_SCHEMA, KEPT

POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


COMMON = {"schemas", "id", "externalid", "meta"}


def _kept_names(schema: str) -> dict[str, Any]:
    return {name.lower(): sub for name, sub in KEPT[schema].items()}


def keep_only_kept(payload: Any, *, schema: str) -> Any:
    """The payload without the attributes this org does not keep (Entra's empty
    ``manager`` object, ``roles``, Okta's custom attributes): they would be dropped
    anyway, and some of them are not even valid SCIM (``manager`` without ``$ref``)."""
    if not isinstance(payload, dict):
        return payload
    kept = _kept_names(schema)
    result = {k: v for k, v in payload.items() if k.lower() in COMMON or k.lower() in kept}
    for key, value in payload.items():
        if key.lower() == ENTERPRISE_SCHEMA.lower() and isinstance(value, dict):
            wanted = _kept_names(ENTERPRISE_SCHEMA)
            result[key] = {k: v for k, v in value.items() if k.lower() in wanted}
    return result


def _targets_kept(path: str, schema: str) -> bool:
    lowered = path.strip().lower()
    for urn in (schema, ENTERPRISE_SCHEMA):
        if lowered.startswith(urn.lower() + ":"):
            names = _kept_names(urn)
            return lowered[len(urn) + 1 :].split(".")[0].split("[")[0] in names
        if lowered == urn.lower():
            return True
    top = lowered.split("[")[0].split(".")[0]
    return top in COMMON or top in _kept_names(schema)


def keep_only_kept_operations(body: Any, *, schema: str) -> Any:
    """A PatchOp without the operations on attributes the org does not keep (Entra
    patches ``manager``); value objects without a path lose those keys."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        return body
    operations = []
    for op in body["Operations"]:
        if not isinstance(op, dict):
            operations.append(op)
            continue
        path = op.get("path")
        if isinstance(path, str) and path and not _targets_kept(path, schema):
            continue
        if str(op.get("op", "")).lower() == "remove" and isinstance(op.get("value"), list):
            # Entra: [{"$ref": null, "value": "<id>"}] — the entry is named by its value.
            op = {**op, "value": [_by_value(v) for v in op["value"]]}
        if not path and isinstance(op.get("value"), dict):
            value = {k: v for k, v in op["value"].items() if _targets_kept(k, schema)}
            op = {**op, "value": value}
        operations.append(op)
    return {**body, "Operations": operations}


def _by_value(item: Any) -> Any:
    if isinstance(item, dict) and item.get("value") is not None:
        return {"value": item["value"]}
    return item
