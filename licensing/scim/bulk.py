"""``POST /Bulk`` (RFC 7644 §3.7): up to 1,000 operations a request.

Runs of consecutive ``POST /Users`` are the identity provider's initial load, and
are written as one batch through ``services.create_users`` (one COPY of users, one
round of audit entries, templates and calling provisioning for the batch): each
operation is checked first (payload, e-mail and userName free in the org and in no
other org), failed ones answer with their own error, the rest are created together.
Any other operation (PUT, PATCH, DELETE, Groups) goes through the same view as a
single request would, in its own transaction. ``bulkId:…`` references to users
created earlier in the request are resolved in the data of later operations.
``failOnErrors`` stops after that many errors (RFC 7644 §3.7.3).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection as db_connection
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from customers import usage
from customers.errors import EmailInAnotherOrg
from licensing.scim import protocol, services
from licensing.scim.errors import ScimError
from licensing.scim.plain_users import new_user_data
from licensing.scim.protocol import scim_response
from licensing.scim.resources import UserData
from licensing.scim.views import ScimView, read_json, with_outcome
from partnerhub.bulk import cyclic_gc_paused
from partnerhub.errors import DomainError

METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _error(op: dict, error: ScimError) -> dict:
    answer = {
        "method": op.get("method", ""),
        "status": str(error.status),
        "response": error.as_dict(),
    }
    if op.get("bulkId"):
        answer["bulkId"] = op["bulkId"]
    return answer


def _resolve_bulk_ids(value: Any, created: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("bulkId:"):
        key = value[len("bulkId:") :]
        if key not in created:
            raise ScimError(409, f"bulkId {key} names no resource created before.", "invalidValue")
        return created[key]
    if isinstance(value, list):
        return [_resolve_bulk_ids(v, created) for v in value]
    if isinstance(value, dict):
        return {k: _resolve_bulk_ids(v, created) for k, v in value.items()}
    return value


def _check_request(body: Any) -> list[dict]:
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "A BulkRequest needs an Operations list.", "invalidSyntax")
    operations = body["Operations"]
    if len(operations) > protocol.MAX_BULK_OPERATIONS:
        raise ScimError(
            413,
            f"{len(operations)} operations; send at most {protocol.MAX_BULK_OPERATIONS} per request.",
        )
    for index, op in enumerate(operations, start=1):
        if not isinstance(op, dict) or str(op.get("method", "")).upper() not in METHODS:
            raise ScimError(
                400,
                f"Operation {index} needs a method: POST, PUT, PATCH or DELETE.",
                "invalidSyntax",
            )
        if not isinstance(op.get("path"), str) or not op["path"].startswith("/"):
            raise ScimError(400, f"Operation {index} needs a path such as /Users.", "invalidSyntax")
    _check_bulk_ids(operations)
    return operations


def _check_bulk_ids(operations: list[dict]) -> None:
    """A bulkId is a string, unique within the request (RFC 7644 §3.7): later
    operations name the resource by it, so a list, a number or a repeat names none."""
    seen: set[str] = set()
    for index, op in enumerate(operations, start=1):
        if "bulkId" not in op:
            continue
        bulk_id = op["bulkId"]
        if not isinstance(bulk_id, str) or not bulk_id:
            raise ScimError(
                400, f"Operation {index}'s bulkId must be a non-empty string.", "invalidSyntax"
            )
        if bulk_id in seen:
            raise ScimError(
                400, f"Operation {index} repeats bulkId {bulk_id}: each must be unique.",
                "invalidSyntax",
            )  # fmt: skip
        seen.add(bulk_id)


def _new_user(payload: Any) -> UserData:
    """A ``POST /Users`` operation's data: the plain shape read directly
    (``plain_users``), any other through ``scim2-models``; the same result either way."""
    return new_user_data(payload)


def _processed(count: int, *, failed: Iterable[int], allowed: int | None) -> int:
    """How many of a run's ``count`` operations are performed, the positions ``failed``
    refused: all, or up to the one whose error reaches failOnErrors (RFC 7644 §3.7.3:
    no operation after it is performed, nor answered)."""
    refused = sorted(failed)
    if allowed is None or len(refused) < allowed:
        return count
    return refused[allowed - 1] + 1


def _is_user_post(op: dict) -> bool:
    return op["method"].upper() == "POST" and op["path"].rstrip("/") == "/Users"


class BulkView(ScimView):
    def post(self, request: HttpRequest) -> HttpResponse:
        # A thousand operations build tens of thousands of small containers: the
        # collector would walk the whole heap again and again (partnerhub.bulk).
        with cyclic_gc_paused():
            return self._operations(request)

    def _operations(self, request: HttpRequest) -> HttpResponse:
        body = read_json(request)
        operations = _check_request(body)
        # No "bulkId:" anywhere in the body: no operation's data needs resolving.
        self.references = protocol.may_hold(request.body, "bulkId:")
        fail_on = body.get("failOnErrors")
        fail_on = fail_on if isinstance(fail_on, int) and fail_on > 0 else None
        answers: list[dict] = []
        created: dict[str, str] = {}
        self.changed = False
        errors = 0
        index = 0
        while index < len(operations) and (fail_on is None or errors < fail_on):
            if _is_user_post(operations[index]):
                end = index
                while end < len(operations) and _is_user_post(operations[end]):
                    end += 1
                allowed = None if fail_on is None else fail_on - errors
                batch = self._post_users(operations[index:end], created, allowed=allowed)
                index = end
            else:
                batch = [self._one(request, operations[index], created)]
                index += 1
            answers.extend(batch)
            errors += sum(1 for a in batch if int(a["status"]) >= 400)
        response = scim_response(
            {"schemas": [protocol.BULK_RESPONSE_SCHEMA], "Operations": answers}
        )
        # Logged when an operation changed something or failed (an unchanged re-send is not).
        return with_outcome(
            response,
            f"{len(answers)} operations, {errors} failed",
            changed=self.changed or errors > 0,
        )

    def _post_users(
        self, ops: list[dict], created: dict[str, str], *, allowed: int | None
    ) -> list[dict]:
        """The run's answers, one per operation processed: all of them, or (``allowed``,
        the errors failOnErrors still accepts) up to the one whose error ends the request."""
        answers: dict[int, dict] = {}
        checked: list[tuple[int, UserData]] = []
        for position, op in enumerate(ops):
            try:
                data = op.get("data")
                if self.references:
                    data = _resolve_bulk_ids(data, created)
                checked.append((position, _new_user(data)))
            except ScimError as error:
                answers[position] = _error(op, error)
        checked = self._free(ops, checked, answers)
        processed = _processed(len(ops), failed=answers, allowed=allowed)
        checked = [(position, data) for position, data in checked if position < processed]
        try:
            users = services.create_users(
                items=[d for _, d in checked], connection=self.connection, checked=True
            )  # _free ran check_new_users on exactly these
        except (ScimError, DomainError):
            users = self._one_by_one(ops, checked, answers)
        for (position, _), user in zip(checked, users, strict=True):
            if user is None:
                continue
            self.changed = True
            op = ops[position]
            location = f"{self.base}/Users/{user.pk}"
            answers[position] = {"method": "POST", "location": location, "status": "201"}
            if op.get("bulkId"):
                answers[position]["bulkId"] = op["bulkId"]
                created[op["bulkId"]] = str(user.pk)
        return [answers[p] for p in range(processed)]

    def _free(self, ops: list[dict], checked: list[tuple[int, UserData]], answers: dict) -> list:
        """Leave out (with a 409) the operations whose e-mail or userName is taken."""
        free, seen = [], set()
        elsewhere = usage.emails_held_elsewhere(
            customer=db_connection.tenant, emails=[d.email for _, d in checked]
        )
        for position, data in checked:
            try:
                if data.email in elsewhere:
                    raise ScimError(
                        409, EmailInAnotherOrg(emails=[data.email]).message, "uniqueness"
                    )
                keys = {data.email, data.user_name.upper()}
                if keys & seen:
                    raise ScimError(
                        409, f"{data.email} is sent twice in this request.", "uniqueness"
                    )
                seen |= keys
                free.append((position, data))
            except ScimError as error:
                answers[position] = _error(ops[position], error)
        try:
            services.check_new_users([d for _, d in free])
        except ScimError:
            kept = []
            for position, data in free:
                try:
                    services.check_new_users([data])
                    kept.append((position, data))
                except ScimError as error:
                    answers[position] = _error(ops[position], error)
            free = kept
        return free

    def _one_by_one(self, ops: list[dict], checked: list, answers: dict) -> list:
        users: list = []
        for position, data in checked:
            try:
                users.append(services.create_users(items=[data], connection=self.connection)[0])
            except ScimError as error:
                answers[position] = _error(ops[position], error)
                users.append(None)
            except DomainError as error:
                answers[position] = _error(
                    ops[position], ScimError(400, error.message, "invalidValue")
                )
                users.append(None)
        return users

    def _one(self, request: HttpRequest, op: dict, created: dict[str, str]) -> dict:
        """Any other operation, through the endpoint's own view."""
        try:
            path = _resolve_bulk_ids(op["path"], created)
            if path.startswith("/Users/bulkId:") or path.startswith("/Groups/bulkId:"):
                kind, _, key = path.partition("/bulkId:")
                path = f"{kind}/{_resolve_bulk_ids('bulkId:' + key, created)}"
            data = _resolve_bulk_ids(op.get("data"), created)
        except ScimError as error:
            return _error(op, error)
        sub = _sub_request(request, op["method"].upper(), path, data, op.get("version"))
        try:
            match = resolve(sub.path_info)
        except Resolver404:
            return _error(op, ScimError(404, f"There is no SCIM endpoint {path}."))
        if match.func.view_class in (BulkView,):  # type: ignore[attr-defined]
            return _error(
                op, ScimError(400, "A Bulk operation cannot be a Bulk request.", "invalidValue")
            )
        response = match.func(sub, *match.args, **match.kwargs)
        self.changed = self.changed or getattr(response, "scim_changed", False)
        answer: dict[str, Any] = {
            "method": op["method"].upper(),
            "status": str(response.status_code),
        }
        if op.get("bulkId"):
            answer["bulkId"] = op["bulkId"]
        if response.status_code >= 400:
            answer["response"] = json.loads(response.content)
            return answer
        if response.content:
            resource = json.loads(response.content)
            answer["location"] = resource.get("meta", {}).get("location", "")
            answer["version"] = resource.get("meta", {}).get("version", "")
            if op.get("bulkId") and "id" in resource:
                created[op["bulkId"]] = resource["id"]
        return answer


def _sub_request(
    request: HttpRequest, method: str, path: str, data: Any, version: Any
) -> HttpRequest:
    sub = HttpRequest()
    sub.method = method
    sub.path = sub.path_info = "/scim/v2" + path.split("?", 1)[0]
    sub.META = {
        key: value
        for key, value in request.META.items()
        if key
        in ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_AUTHORIZATION", "wsgi.url_scheme")
    }
    sub.META["REQUEST_METHOD"] = method
    if version:
        sub.META["HTTP_IF_MATCH"] = str(version)
    sub._body = json.dumps(data).encode() if data is not None else b""  # type: ignore[attr-defined]
    sub.tenant = getattr(request, "tenant", None)  # type: ignore[attr-defined]
    sub.urlconf = getattr(request, "urlconf", None)  # type: ignore[attr-defined]
    return sub
