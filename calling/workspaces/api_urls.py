"""Workspaces API, at /api/calling/workspaces/ on the org host."""

from __future__ import annotations

from django.urls import path

from calling.workspaces import api

urlpatterns = [
    path("", api.WorkspaceListAPI.as_view(), name="api-calling-workspace-list"),
    path("csv/", api.WorkspaceCsvAPI.as_view(), name="api-calling-workspace-csv"),
    path("<int:pk>/", api.WorkspaceDetailAPI.as_view(), name="api-calling-workspace-detail"),
    path(
        "<int:pk>/license/",
        api.WorkspaceLicenseAPI.as_view(),
        name="api-calling-workspace-license",
    ),
    path(
        "<int:pk>/restore/",
        api.WorkspaceRestoreAPI.as_view(),
        name="api-calling-workspace-restore",
    ),
]
