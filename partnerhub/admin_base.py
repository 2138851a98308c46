"""One admin site serves both sides: on the public host it shows the public models,
on a customer host (``<slug>.<base>/admin/``) that org's tenant models. A model of
the other side is hidden, so support staff never hit a table that is not there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest


def on_public_schema() -> bool:
    return connection.schema_name == "public"


class _SideRestrictedAdmin(admin.ModelAdmin):
    public_side: bool = True

    def _on_my_side(self) -> bool:
        return on_public_schema() == self.public_side

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._on_my_side() and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._on_my_side() and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._on_my_side() and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._on_my_side() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._on_my_side() and super().has_delete_permission(request, obj)


class PublicModelAdmin(_SideRestrictedAdmin):
    """Admin of a model in the public schema (partners, customers, accounts)."""

    public_side = True


class TenantModelAdmin(_SideRestrictedAdmin):
    """Admin of a model in a customer schema (users, subscriptions, locations…)."""

    public_side = False
