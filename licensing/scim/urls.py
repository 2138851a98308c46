"""``/scim/v2/`` on every org host (included by ``partnerhub/urls_tenant.py``)."""

from __future__ import annotations

from django.urls import path, re_path

from licensing.scim import bulk, views

urlpatterns = [
    path(".search", views.SearchView.as_view(), name="scim-search"),
    path("Users/.search", views.UserSearchView.as_view(), name="scim-users-search"),
    path("Groups/.search", views.GroupSearchView.as_view(), name="scim-groups-search"),
    path("Users", views.UsersView.as_view(), name="scim-users"),
    path("Users/<str:user_id>", views.UserView.as_view(), name="scim-user"),
    path("Groups", views.GroupsView.as_view(), name="scim-groups"),
    path("Groups/<str:group_id>", views.GroupView.as_view(), name="scim-group"),
    path("Bulk", bulk.BulkView.as_view(), name="scim-bulk"),
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view(), name="scim-config"),
    path("Schemas", views.SchemasView.as_view(), name="scim-schemas"),
    path("Schemas/<str:schema_id>", views.SchemasView.as_view(), name="scim-schema"),
    path("ResourceTypes", views.ResourceTypesView.as_view(), name="scim-resource-types"),
    path(
        "ResourceTypes/<str:type_id>", views.ResourceTypesView.as_view(), name="scim-resource-type"
    ),
    re_path(r"^(?P<rest>.*)$", views.NotFoundView.as_view(), name="scim-not-found"),
]
