"""The SCIM endpoints at ``/scim/v2/`` of an org host (RFC 7644). Thin: authenticate
the connection, read the request, call ``selectors`` / ``services``, answer in
``application/scim+json``. Every answer that is not a success is SCIM's error shape.

Authentication is the connection's bearer token only: sessions and people's API
tokens are not looked at, so they never work here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from scim2_models import Context, PatchOp, SCIMException
from scim2_models import Group as GroupModel

from licensing.scim import connections, protocol, selectors, services
from licensing.scim.dialects import POLICY, keep_only_kept, keep_only_kept_operations
from licensing.scim.protocol import ScimError, scim_response
from licensing.scim.resources import USER_MODEL, parse_user, project, user_data
from partnerhub.errors import DomainError
from partnerhub.tenant_access import org_closed_reason


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def read_json(request: HttpRequest) -> Any:
    if len(request.body) > protocol.MAX_BULK_PAYLOAD:
        raise ScimError(413, f"The body is over {protocol.MAX_BULK_PAYLOAD} bytes.")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise ScimError(400, f"The body is not valid JSON ({error}).", "invalidSyntax") from None


def domain_error(error: DomainError) -> ScimError:
    """A licensing/calling rule said no: its message, SCIM's status and type."""
    if error.status == 409:
        return ScimError(409, error.message, "uniqueness")
    if error.status == 404:
        return ScimError(404, error.message)
    return ScimError(400, error.message, "invalidValue")


@method_decorator(csrf_exempt, name="dispatch")
class ScimView(View):
    """Authenticates, turns errors into SCIM errors, logs the request."""

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
        if request.method != "GET" or response.status_code >= 400:
            connections.log_request(
                connection=connection, method=request.method or "", path=request.path,
                status=response.status_code, outcome=outcome,
            )  # fmt: skip
        return response

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return protocol.error_response(ScimError(405, f"{request.method} is not allowed here."))


def _page(request: HttpRequest) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        try:
            return int(raw) if raw != "" else default
        except ValueError:
            raise ScimError(400, f"{name} must be a whole number.", "invalidValue") from None

    start = max(number("startIndex", 1), 1)
    count = min(max(number("count", protocol.MAX_RESULTS), 0), protocol.MAX_RESULTS)
    return start, count


def _names(request: HttpRequest, key: str) -> list[str]:
    return [n for n in request.GET.get(key, "").split(",") if n.strip()]


def _list_response(
    request: HttpRequest, total: int, start: int, resources: list[dict]
) -> HttpResponse:
    attributes, excluded = _names(request, "attributes"), _names(request, "excludedAttributes")
    return scim_response(
        {
            "schemas": [protocol.LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": [project(r, attributes=attributes, excluded=excluded) for r in resources],
        }
    )


def _one(request: HttpRequest, resource: dict, *, status: int = 200) -> HttpResponse:
    etag = resource["meta"]["version"]
    if status == 200 and request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    body = project(
        resource,
        attributes=_names(request, "attributes"),
        excluded=_names(request, "excludedAttributes"),
    )
    headers = {"ETag": etag}
    if status == 201:
        headers["Location"] = resource["meta"]["location"]
    return scim_response(body, status=status, headers=headers)


def _check_version(request: HttpRequest, resource: dict) -> None:
    wanted = request.headers.get("If-Match")
    if wanted and wanted != "*" and wanted != resource["meta"]["version"]:
        raise ScimError(
            412,
            f"The resource changed: its version is {resource['meta']['version']}, not "
            f"{wanted}. Read it again and re-apply your change.",
        )


def _outcome(response: HttpResponse, text: str) -> HttpResponse:
    response.scim_outcome = text  # type: ignore[attr-defined]
    return response


class UsersView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        start, count = _page(request)
        total, users = selectors.user_page(request.GET.get("filter", ""), start=start, count=count)
        return _list_response(
            request, total, start, selectors.user_resources(users, base=self.base)
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        data = user_data(parse_user(read_json(request), context=Context.RESOURCE_CREATION_REQUEST))
        (user,) = services.create_users(items=[data], connection=self.connection)
        resource = selectors.user_resource_of(user.pk, base=self.base)
        return _outcome(_one(request, resource, status=201), f"created {data.email}")


class UserView(ScimView):
    def _resource(self, user_id: str) -> dict:
        return selectors.user_resource_of(selectors.user_pk(user_id), base=self.base)

    def get(self, request: HttpRequest, user_id: str) -> HttpResponse:
        return _one(request, self._resource(user_id))

    def put(self, request: HttpRequest, user_id: str) -> HttpResponse:
        with transaction.atomic():
            user = selectors.user_for_update(user_id)
            _check_version(request, self._resource(user_id))
            parsed = parse_user(read_json(request), context=Context.RESOURCE_REPLACEMENT_REQUEST)
            changed = services.replace_user(
                user=user, data=user_data(parsed), connection=self.connection
            )
        return _outcome(
            _one(request, self._resource(user_id)), "replaced" if changed else "unchanged"
        )

    def patch(self, request: HttpRequest, user_id: str) -> HttpResponse:
        with transaction.atomic():
            user = selectors.user_for_update(user_id)
            current = self._resource(user_id)
            _check_version(request, current)
            model = USER_MODEL.model_validate(current)
            apply_patch(USER_MODEL, model, read_json(request))
            changed = services.replace_user(
                user=user, data=user_data(model), connection=self.connection
            )
        return _outcome(
            _one(request, self._resource(user_id)), "patched" if changed else "unchanged"
        )

    def delete(self, request: HttpRequest, user_id: str) -> HttpResponse:
        with transaction.atomic():
            user = selectors.user_for_update(user_id)
            _check_version(request, self._resource(user_id))
            services.delete_user(user=user, connection=self.connection)
        return _outcome(HttpResponse(status=204), f"deleted {user.email}")


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


def _group_payload(body: Any, context: Context) -> Any:
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object (a SCIM Group).", "invalidSyntax")
    try:
        return GroupModel.model_validate(
            keep_only_kept(body, schema=protocol.GROUP_SCHEMA), scim_ctx=context
        )
    except SCIMException as error:
        raise ScimError(error.status, str(error), error.scim_type or "invalidValue") from None
    except ValueError as error:
        raise ScimError(400, f"The Group is not valid: {error}", "invalidValue") from None


def _member_ids(group: Any) -> list[str]:
    return [str(m.value) for m in (group.members or []) if m.value is not None]


class GroupsView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        start, count = _page(request)
        total, groups = selectors.group_page(
            request.GET.get("filter", ""), start=start, count=count
        )
        members = "members" not in [n.lower() for n in _names(request, "excludedAttributes")]
        return _list_response(
            request,
            total,
            start,
            selectors.group_resources(groups, base=self.base, members=members),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        group = _group_payload(read_json(request), Context.RESOURCE_CREATION_REQUEST)
        created = services.create_group(
            name=group.display_name or "", external_id=group.external_id or "",
            member_ids=_member_ids(group), connection=self.connection,
        )  # fmt: skip
        resource = selectors.group_resource_of(created.pk, base=self.base)
        return _outcome(_one(request, resource, status=201), f"created group {created.name}")


class GroupView(ScimView):
    def _resource(self, group_id: str) -> dict:
        return selectors.group_resource_of(selectors.group_pk(group_id), base=self.base)

    def get(self, request: HttpRequest, group_id: str) -> HttpResponse:
        return _one(request, self._resource(group_id))

    def _write(
        self, request: HttpRequest, group_id: str, change: Callable[[dict], Any]
    ) -> HttpResponse:
        with transaction.atomic():
            group = selectors.group_for_update(group_id)
            current = self._resource(group_id)
            _check_version(request, current)
            wanted = change(current)
            changed = services.replace_group(
                group=group, name=wanted.display_name or "", external_id=wanted.external_id or "",
                member_ids=_member_ids(wanted), connection=self.connection,
            )  # fmt: skip
        return _outcome(
            _one(request, self._resource(group_id)), "changed" if changed else "unchanged"
        )

    def put(self, request: HttpRequest, group_id: str) -> HttpResponse:
        body = read_json(request)
        return self._write(
            request, group_id, lambda _: _group_payload(body, Context.RESOURCE_REPLACEMENT_REQUEST)
        )

    def patch(self, request: HttpRequest, group_id: str) -> HttpResponse:
        body = read_json(request)

        def patched(current: dict) -> Any:
            model = GroupModel.model_validate(current)
            apply_patch(GroupModel, model, body)
            return model

        return self._write(request, group_id, patched)

    def delete(self, request: HttpRequest, group_id: str) -> HttpResponse:
        with transaction.atomic():
            group = selectors.group_for_update(group_id)
            _check_version(request, self._resource(group_id))
            services.delete_group(group=group, connection=self.connection)
        return _outcome(HttpResponse(status=204), "deleted group")


class SearchView(ScimView):
    """``POST …/.search`` (RFC 7644 §3.4.3): the query of a GET, in a SearchRequest
    body. At the root it searches users, then groups (a filter naming an attribute
    one of them does not have matches none of that type)."""

    kinds: tuple[str, ...] = ("User", "Group")

    def post(self, request: HttpRequest) -> HttpResponse:
        body = read_json(request)
        if not isinstance(body, dict):
            raise ScimError(400, "The body must be a SearchRequest object.", "invalidSyntax")
        params = request.GET.copy()
        for key in ("filter", "startIndex", "count"):
            if body.get(key) is not None:
                params[key] = str(body[key])
        for key in ("attributes", "excludedAttributes"):
            if body.get(key):
                value = body[key]
                params[key] = ",".join(value) if isinstance(value, list) else str(value)
        request.GET = params
        start, count = _page(request)
        text = params.get("filter", "")
        found: list[dict] = []
        total = 0
        for kind in self.kinds:
            try:
                if kind == "User":
                    n, rows = selectors.user_page(text, start=1, count=protocol.MAX_RESULTS)
                    resources = selectors.user_resources(rows, base=self.base)
                else:
                    n, rows = selectors.group_page(text, start=1, count=protocol.MAX_RESULTS)
                    resources = selectors.group_resources(rows, base=self.base)
            except ScimError:
                if len(self.kinds) == 1:
                    raise
                continue
            total += n
            found.extend(resources)
        return _list_response(request, total, start, found[start - 1 : start - 1 + count])


class UserSearchView(SearchView):
    kinds = ("User",)


class GroupSearchView(SearchView):
    kinds = ("Group",)


class ServiceProviderConfigView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return scim_response(protocol.service_provider_config(self.base))


class SchemasView(ScimView):
    def get(self, request: HttpRequest, schema_id: str = "") -> HttpResponse:
        return _discovery(request, protocol.schemas(self.base), schema_id, "schema")


class ResourceTypesView(ScimView):
    def get(self, request: HttpRequest, type_id: str = "") -> HttpResponse:
        return _discovery(request, protocol.resource_types(self.base), type_id, "resource type")


def _discovery(request: HttpRequest, items: list[dict], wanted: str, what: str) -> HttpResponse:
    if wanted:
        found = next((item for item in items if item["id"] == wanted), None)
        if found is None:
            raise ScimError(404, f"No {what} {wanted}.")
        return scim_response(found)
    if request.GET.get("filter"):
        raise ScimError(403, f"Filtering {what}s is not supported.")
    return scim_response(
        {
            "schemas": [protocol.LIST_SCHEMA],
            "totalResults": len(items),
            "startIndex": 1,
            "itemsPerPage": len(items),
            "Resources": items,
        }
    )


class NotFoundView(ScimView):
    def get(self, request: HttpRequest, rest: str = "") -> HttpResponse:
        raise ScimError(404, f"There is no SCIM endpoint {request.path}.")

    post = put = patch = delete = get
