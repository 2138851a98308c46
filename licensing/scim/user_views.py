"""``/Users`` and ``/Users/{id}`` (RFC 7644 §3.3–3.6; SPEC §3, §6)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from scim2_models import Context

from licensing.scim import selectors, services
from licensing.scim.plain_users import new_user_data
from licensing.scim.resources import USER_MODEL, parse_user, user_data
from licensing.scim.views import (
    ScimView,
    apply_patch,
    check_version,
    list_response,
    one_response,
    page_of,
    read_json,
    with_outcome,
)


class UsersView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        start, count = page_of(request)
        total, users = selectors.user_page(request.GET.get("filter", ""), start=start, count=count)
        return list_response(request, total, start, selectors.user_resources(users, base=self.base))

    def post(self, request: HttpRequest) -> HttpResponse:
        data = new_user_data(read_json(request))  # the plain shape without scim2-models
        (user,) = services.create_users(items=[data], connection=self.connection)
        resource = selectors.created_user_resource(user, base=self.base)
        return with_outcome(one_response(request, resource, status=201), f"created {data.email}")


class UserView(ScimView):
    def _resource(self, user_id: str) -> dict:
        return selectors.user_resource_of(selectors.user_pk(user_id), base=self.base)

    def get(self, request: HttpRequest, user_id: str) -> HttpResponse:
        return one_response(request, self._resource(user_id))

    def _locked(self, user_id: str) -> tuple[Any, dict]:
        """The user, row-locked to the end of the transaction, and its resource as read."""
        user = selectors.user_for_update(user_id)
        return user, selectors.user_resources([user], base=self.base)[0]

    def _answer(self, request: HttpRequest, user_id: str, current: dict, outcome: str, *,
                changed: bool) -> HttpResponse:  # fmt: skip
        # Unchanged: the resource read under the lock is the answer (nothing to read again).
        resource = self._resource(user_id) if changed else current
        return with_outcome(
            one_response(request, resource), outcome if changed else "unchanged", changed=changed
        )

    def put(self, request: HttpRequest, user_id: str) -> HttpResponse:
        with transaction.atomic():
            user, current = self._locked(user_id)
            check_version(request, current)
            parsed = parse_user(read_json(request), context=Context.RESOURCE_REPLACEMENT_REQUEST)
            changed = services.replace_user(
                user=user, data=user_data(parsed), connection=self.connection
            )
        return self._answer(request, user_id, current, "replaced", changed=changed)

    def patch(self, request: HttpRequest, user_id: str) -> HttpResponse:
        with transaction.atomic():
            user, current = self._locked(user_id)
            check_version(request, current)
            model = USER_MODEL.model_validate(current)
            apply_patch(USER_MODEL, model, read_json(request))
            changed = services.replace_user(
                user=user, data=user_data(model), connection=self.connection
            )
        return self._answer(request, user_id, current, "patched", changed=changed)

    def delete(self, request: HttpRequest, user_id: str) -> HttpResponse:
        with transaction.atomic():
            user = selectors.user_for_update(user_id)
            check_version(request, self._resource(user_id))
            services.delete_user(user=user, connection=self.connection)
        return with_outcome(HttpResponse(status=204), f"deleted {user.email}")
