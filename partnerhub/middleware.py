"""Request routing by host (django-tenants), and the one guard against NUL characters
in query parameters."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse, QueryDict
from django.http.request import split_domain_port
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import (
    get_public_schema_name,
    get_tenant_domain_model,
    get_tenant_model,
    remove_www,
)

from partnerhub.prepared import hot_cursor
from partnerhub.tenancy import enter_request_tenant


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

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        """django-tenants' own, without switching the connection to the public schema
        for the look-up (``get_tenant`` names the public tables): the request sets its
        ``search_path`` once, to its org — one ``SET`` statement fewer per request
        (issue #13)."""
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            connection.set_schema_to_public()
            return HttpResponseNotFound()
        domain_model = get_tenant_domain_model()
        try:
            tenant = self.get_tenant(domain_model, hostname)
        except domain_model.DoesNotExist:
            connection.set_schema_to_public()
            return self.no_tenant_found(request, hostname)
        tenant.domain_url = hostname
        request.tenant = tenant
        enter_request_tenant(tenant)
        self.setup_url_routing(request)
        return None

    def get_tenant(self, domain_model: Any, hostname: str) -> Any:
        """The org of ``hostname``, read fresh on every request (as django-tenants does)
        but in one statement of fixed text: no ORM query to compile per request. The
        tables are named with their (public) schema: any ``search_path`` will do."""
        tenant_model = get_tenant_model()
        sql, fields = _tenant_sql(tenant_model, domain_model)
        with hot_cursor(schema_qualified=True) as cursor:  # no SET search_path for it
            cursor.execute(sql, [hostname])
            row = cursor.fetchone()
        if row is None:
            raise domain_model.DoesNotExist(f"No domain {hostname}")
        return tenant_model.from_db("default", fields, row)


@functools.cache
def _tenant_sql(tenant_model: Any, domain_model: Any) -> tuple[str, list[str]]:
    schema = connection.ops.quote_name(get_public_schema_name())

    def quote(name: str) -> str:
        return connection.ops.quote_name(name)

    concrete = tenant_model._meta.concrete_fields
    columns = ", ".join(f"t.{quote(f.column)}" for f in concrete)
    tenant_column = domain_model._meta.get_field("tenant").column
    sql = (
        f"SELECT {columns} FROM {schema}.{quote(domain_model._meta.db_table)} AS d "  # noqa: S608
        f"JOIN {schema}.{quote(tenant_model._meta.db_table)} AS t "
        f"ON t.{quote(tenant_model._meta.pk.column)} = d.{quote(tenant_column)} "
        "WHERE d.domain = %s"
    )
    return sql, [f.attname for f in concrete]


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


class NoStoreDataMiddleware:
    """Data never lands in a shared or browser cache: every download (an attachment)
    and every API answer gets ``Cache-Control: no-store`` unless its view set one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_download = "attachment" in response.get("Content-Disposition", "")
        if (is_download or request.path.startswith("/api/")) and not response.has_header(
            "Cache-Control"
        ):
            response["Cache-Control"] = "no-store"
        return response


SEEN_AT = "seen_at"


class IdleSessionMiddleware:
    """Sessions expire after ``SESSION_COOKIE_AGE`` seconds without a request: a
    signed-in request renews the session (its stored expiry and the cookie), at most
    once a minute so that most requests write nothing."""

    RENEW_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(SEEN_AT, 0) >= self.RENEW_EVERY:
                session[SEEN_AT] = now  # saved by SessionMiddleware on the way out
        return response
