"""The SCIM endpoints that change nothing: ``.search`` (RFC 7644 §3.4.3) and the
discovery endpoints ServiceProviderConfig, Schemas, ResourceTypes (§4), and SCIM's
404 for any other path."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from licensing.scim import protocol, selectors
from licensing.scim.errors import ScimError
from licensing.scim.protocol import scim_response
from licensing.scim.views import ScimView, list_response, page_of, read_json


class SearchView(ScimView):
    """``POST …/.search`` (RFC 7644 §3.4.3): the query of a GET, in a SearchRequest
    body. At the root it searches users, then groups (a filter naming an attribute
    one of them does not have matches none of that type)."""

    kinds: tuple[str, ...] = ("User", "Group")

    def post(self, request: HttpRequest) -> HttpResponse:
        body = read_json(request)
        if not isinstance(body, dict):
            raise ScimError(400, "The body must be a SearchRequest object.", "invalidSyntax")
        if body.get("filter") is not None and not isinstance(body["filter"], str):
            raise ScimError(
                400, 'filter must be one string, such as: userName eq "kim@example.com".',
                "invalidFilter",
            )  # fmt: skip
        params = request.GET.copy()
        for key in ("filter", "startIndex", "count"):
            if body.get(key) is not None:
                params[key] = str(body[key])
        for key in ("attributes", "excludedAttributes"):
            if body.get(key):
                params[key] = _names(body[key], key)
        request.GET = params
        start, count = page_of(request)
        total, found = self._page(params.get("filter", ""), start, count)
        return list_response(request, total, start, found)

    def _page(self, text: str, start: int, count: int) -> tuple[int, list[dict]]:
        """Users then groups, as one list (RFC 7644 §3.4.2.4): the page's offset
        ``start - 1`` runs into users first, what is past them into groups; the
        total counts both. A kind the filter cannot apply to adds nothing; a filter
        no kind can apply is refused with the first kind's reason."""
        offset, total, found, refused = start - 1, 0, [], []
        for kind in self.kinds:
            page, resources = (
                (selectors.user_page, selectors.user_resources)
                if kind == "User"
                else (selectors.group_page, selectors.group_resources)
            )
            wanted = count - len(found)
            try:
                n, rows = page(text, start=max(offset - total, 0) + 1, count=wanted)
            except ScimError as error:
                refused.append(error)
                continue
            total += n
            found.extend(resources(rows, base=self.base))
        if len(refused) == len(self.kinds):
            raise refused[0]
        return total, found


def _names(value: object, key: str) -> str:
    """A SearchRequest's ``attributes`` / ``excludedAttributes`` (RFC 7644 §3.4.3): a
    list of attribute names, or one comma-separated string."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return ",".join(value)
    raise ScimError(
        400, f'{key} must be a list of attribute names such as ["userName"].', "invalidValue"
    )


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
