"""``/Groups`` and ``/Groups/{id}`` (RFC 7644 §3.3–3.6): the org's groups, whose
templates drive licenses (SPEC §5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from scim2_models import Context, SCIMException
from scim2_models import Group as GroupModel

from licensing.scim import protocol, selectors, services
from licensing.scim.dialects import keep_only_kept
from licensing.scim.errors import ScimError
from licensing.scim.resources import external_id_of
from licensing.scim.views import (
    ScimView,
    apply_patch,
    check_version,
    list_response,
    names,
    one_response,
    page_of,
    read_json,
    with_outcome,
)


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
        start, count = page_of(request)
        total, groups = selectors.group_page(
            request.GET.get("filter", ""), start=start, count=count
        )
        members = "members" not in [n.lower() for n in names(request, "excludedAttributes")]
        return list_response(
            request,
            total,
            start,
            selectors.group_resources(groups, base=self.base, members=members),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        group = _group_payload(read_json(request), Context.RESOURCE_CREATION_REQUEST)
        created = services.create_group(
            name=group.display_name or "", external_id=external_id_of(group.external_id),
            member_ids=_member_ids(group), connection=self.connection,
        )  # fmt: skip
        resource = selectors.group_resource_of(created.pk, base=self.base)
        return with_outcome(
            one_response(request, resource, status=201), f"created group {created.name}"
        )


class GroupView(ScimView):
    def _resource(self, group_id: str) -> dict:
        return selectors.group_resource_of(selectors.group_pk(group_id), base=self.base)

    def get(self, request: HttpRequest, group_id: str) -> HttpResponse:
        return one_response(request, self._resource(group_id))

    def _write(
        self, request: HttpRequest, group_id: str, change: Callable[[dict], Any]
    ) -> HttpResponse:
        with transaction.atomic():
            group = selectors.group_for_update(group_id)
            current = self._resource(group_id)
            check_version(request, current)
            wanted = change(current)
            changed = services.replace_group(
                group=group, name=wanted.display_name or "", external_id=external_id_of(wanted.external_id),
                member_ids=_member_ids(wanted), connection=self.connection,
            )  # fmt: skip
        return with_outcome(
            one_response(request, self._resource(group_id)),
            "changed" if changed else "unchanged",
            changed=changed,
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
            check_version(request, self._resource(group_id))
            services.delete_group(group=group, connection=self.connection)
        return with_outcome(HttpResponse(status=204), "deleted group")
