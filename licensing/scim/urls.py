"""``/scim/v2/`` on every org host (included by ``partnerhub/urls_tenant.py``)."""

from __future__ import annotations

from django.urls import path, re_path

from licensing.scim import bulk, discovery_views, group_views, user_views

urlpatterns = [
    path(".search", discovery_views.SearchView.as_view(), name="scim-search"),
    path("Users/.search", discovery_views.UserSearchView.as_view(), name="scim-users-search"),
    path("Groups/.search", discovery_views.GroupSearchView.as_view(), name="scim-groups-search"),
    path("Users", user_views.UsersView.as_view(), name="scim-users"),
    path("Users/<str:user_id>", user_views.UserView.as_view(), name="scim-user"),
    path("Groups", group_views.GroupsView.as_view(), name="scim-groups"),
    path("Groups/<str:group_id>", group_views.GroupView.as_view(), name="scim-group"),
    path("Bulk", bulk.BulkView.as_view(), name="scim-bulk"),
    path(
        "ServiceProviderConfig",
        discovery_views.ServiceProviderConfigView.as_view(),
        name="scim-config",
    ),
    path("Schemas", discovery_views.SchemasView.as_view(), name="scim-schemas"),
    path("Schemas/<str:schema_id>", discovery_views.SchemasView.as_view(), name="scim-schema"),
    path("ResourceTypes", discovery_views.ResourceTypesView.as_view(), name="scim-resource-types"),
    path(
        "ResourceTypes/<str:type_id>",
        discovery_views.ResourceTypesView.as_view(),
        name="scim-resource-type",
    ),
    re_path(r"^(?P<rest>.*)$", discovery_views.NotFoundView.as_view(), name="scim-not-found"),
]
