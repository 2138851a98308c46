"""Request routing by host (django-tenants), and the one guard against NUL characters
in query parameters."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.request import split_domain_port
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www


class TenantMiddleware(TenantMainMiddleware):
    """The public site at the base domain, each customer at ``<slug>.<base>``; any
    other host is a 404 (``SHOW_PUBLIC_IF_NO_TENANT_FOUND = False``).

    Host names are matched as DNS does: case-insensitively and with or without the
    final dot (``ACME.localhost``, ``acme.localhost.`` are ``acme.localhost``)."""

    @staticmethod
    def hostname_from_request(request: HttpRequest) -> str:
        # split_domain_port lower-cases and drops a trailing dot (as ALLOWED_HOSTS does).
        domain, _port = split_domain_port(request.get_host())
        return remove_www(domain)


NUL_MESSAGE = (
    "The request contains a NUL character (\\0, %00), which no text here may hold. "
    "Remove it and try again."
)


class NulCharacterMiddleware:
    """PostgreSQL text cannot hold NUL (U+0000): a ``%00`` in a query parameter used to
    reach the database and end as a 500 (``?search=%00``, ``?status=%00``). One place
    for every page and API: NULs are dropped from query parameters before any view
    reads them (a filter or search cannot mean one). Form fields are refused by
    Django's form validation in place ("Null characters are not allowed."); a NUL that
    still reaches the database (a JSON body, a field read without a form) is answered
    400 with a message here instead of a 500 (``process_exception``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = _without_nul(request.GET)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ValueError) and "NUL (0x00)" in str(exception):
            if request.path.startswith(("/api/", "/scim/")):
                return JsonResponse({"code": "nul_character", "message": NUL_MESSAGE}, status=400)
            return HttpResponse(NUL_MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return None


def _without_nul(params: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned
