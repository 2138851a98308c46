"""What every SCIM endpoint at ``/scim/v2/`` of an org host shares (RFC 7644): the
base view that authenticates the connection, turns errors into SCIM's error shape
and keeps the connection's request log; reading a request (JSON body, paging,
``attributes``), answering (``application/scim+json``, ETags) and applying a PATCH.

The endpoints, thin (read the request, call ``selectors`` / ``services``, answer):
``user_views`` (Users), ``group_views`` (Groups), ``bulk`` (Bulk), ``discovery_views``
(``.search``, ServiceProviderConfig, Schemas, ResourceTypes).

Authentication is the connection's bearer token only: sessions and people's API
tokens are not looked at, so they never work here.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from scim2_models import Context, PatchOp, SCIMException
from scim2_models import Group as GroupModel

from licensing.scim import connections, protocol, services
from licensing.scim.dialects import POLICY, keep_only_kept_operations
from licensing.scim.errors import ScimError
from licensing.scim.protocol import scim_response
from licensing.scim.resources import project
from partnerhub.errors import DomainError
from partnerhub.tenant_access import org_closed_reason


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def read_json(request: HttpRequest) -> Any:
    """The JSON body. Over ``MAX_BULK_PAYLOAD`` bytes (or the server's upload limit) →
    413; not JSON → 400 invalidSyntax; nested too deep or holding a U+0000 → 400
    (``protocol.check_body``)."""
    too_big = ScimError(413, f"The body is over {protocol.MAX_BULK_PAYLOAD} bytes.")
    try:
        if len(request.body) > protocol.MAX_BULK_PAYLOAD:
            raise too_big
        value = json.loads(request.body or b"null")
    except RequestDataTooBig:
        raise too_big from None
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ScimError(400, f"The body is not valid JSON ({error}).", "invalidSyntax") from None
    protocol.check_body(value, raw=request.body)
    return value


def domain_error(error: DomainError) -> ScimError:
    """A licensing/calling rule said no: its message, SCIM's status and type."""
    if error.status == 409:
        return ScimError(409, error.message, "uniqueness")
    if error.status == 404:
        return ScimError(404, error.message)
    return ScimError(400, error.message, "invalidValue")


@method_decorator(csrf_exempt, name="dispatch")
class ScimView(View):
    """Authenticates, turns errors into SCIM errors, logs the request when it changed
    something (``with_outcome``) or failed."""

    http_method_names = ["get", "post", "put", "patch", "delete"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        connection = connections.connection_for_token(_bearer(request))
        if connection is None:
            return protocol.error_response(
                ScimError(401, "Send the SCIM connection's token as 'Authorization: Bearer …'.")
            )
        outcome = ""
        try:
            closed = org_closed_reason(request)
            if closed:
                raise ScimError(403, closed)
            self.connection, self.base = connection, base_url(request)
            with POLICY:
                response = super().dispatch(request, *args, **kwargs)
            outcome = getattr(response, "scim_outcome", "")
        except ScimError as error:
            response, outcome = protocol.error_response(error), error.detail
        except DomainError as error:
            scim_error = domain_error(error)
            response, outcome = protocol.error_response(scim_error), scim_error.detail
        except SCIMException as error:
            scim_error = ScimError(error.status, str(error), error.scim_type or "")
            response, outcome = protocol.error_response(scim_error), scim_error.detail
        except IntegrityError as error:
            scim_error = services.uniqueness_race(error)
            if scim_error is None:
                raise
            response, outcome = protocol.error_response(scim_error), scim_error.detail
        if response.status_code >= 400 or getattr(response, "scim_changed", False):
            # Only what changed something or failed: an unchanged re-send writes nothing.
            connections.log_request(
                connection=connection, method=request.method or "", path=request.path,
                status=response.status_code, outcome=outcome,
            )  # fmt: skip
        return response

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return protocol.error_response(ScimError(405, f"{request.method} is not allowed here."))


def page_of(request: HttpRequest) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        try:
            return int(raw) if raw != "" else default
        except ValueError:
            raise ScimError(400, f"{name} must be a whole number.", "invalidValue") from None

    start = min(max(number("startIndex", 1), 1), protocol.MAX_START_INDEX)
    count = min(max(number("count", protocol.MAX_RESULTS), 0), protocol.MAX_RESULTS)
    return start, count


def names(request: HttpRequest, key: str) -> list[str]:
    return [n for n in request.GET.get(key, "").split(",") if n.strip()]


def list_response(
    request: HttpRequest, total: int, start: int, resources: list[dict]
) -> HttpResponse:
    attributes, excluded = names(request, "attributes"), names(request, "excludedAttributes")
    return scim_response(
        {
            "schemas": [protocol.LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": [project(r, attributes=attributes, excluded=excluded) for r in resources],
        }
    )


def one_response(request: HttpRequest, resource: dict, *, status: int = 200) -> HttpResponse:
    etag = resource["meta"]["version"]
    if status == 200 and request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    body = project(
        resource,
        attributes=names(request, "attributes"),
        excluded=names(request, "excludedAttributes"),
    )
    headers = {"ETag": etag}
    if status == 201:
        headers["Location"] = resource["meta"]["location"]
    return scim_response(body, status=status, headers=headers)


def check_version(request: HttpRequest, resource: dict) -> None:
    wanted = request.headers.get("If-Match")
    if wanted and wanted != "*" and wanted != resource["meta"]["version"]:
        raise ScimError(
            412,
            f"The resource changed: its version is {resource['meta']['version']}, not "
            f"{wanted}. Read it again and re-apply your change.",
        )


def with_outcome(response: HttpResponse, text: str, *, changed: bool = True) -> HttpResponse:
    """The outcome the connection's log shows; ``changed=False`` (an unchanged PUT or
    PATCH) keeps the request out of the log."""
    response.scim_outcome = text  # type: ignore[attr-defined]
    response.scim_changed = changed  # type: ignore[attr-defined]
    return response


def apply_patch(model_type: Any, resource: Any, body: Any) -> None:
    """RFC 7644 §3.5.2 through ``scim2-models`` (under the dialect policy)."""
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a SCIM PatchOp object.", "invalidSyntax")
    try:
        schema = protocol.GROUP_SCHEMA if model_type is GroupModel else protocol.USER_SCHEMA
        body = keep_only_kept_operations(body, schema=schema)
        patch = PatchOp[model_type].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        patch.patch(resource)
    except SCIMException as error:
        raise ScimError(error.status, str(error), error.scim_type or "invalidValue") from None
    except ValueError as error:
        raise ScimError(400, f"The PATCH is not valid: {error}", "invalidValue") from None
